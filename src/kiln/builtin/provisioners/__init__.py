"""Provisioners shipped with kiln: shell, file, shell-local, breakpoint and sleep."""
