"""SSH communicator on asyncssh. Importing this package imports asyncssh; import it lazily."""

from kiln.communicator.ssh.communicator import SSHCommunicator
from kiln.communicator.ssh.connect import SSHAuthenticationFailed, SSHTimeout, Target, wait_for_ssh
from kiln.communicator.ssh.keys import TemporaryKeyPair

__all__ = [
    "SSHAuthenticationFailed",
    "SSHCommunicator",
    "SSHTimeout",
    "Target",
    "TemporaryKeyPair",
    "wait_for_ssh",
]
