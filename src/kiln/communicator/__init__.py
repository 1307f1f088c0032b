"""Communicators: how kiln runs commands in, and moves files to and from, the machine it builds.

`kiln.communicator.ssh` (asyncssh, imported lazily) and `kiln.communicator.none` implement
`kiln.sdk.communicator.Communicator`. `config.CommunicatorConfig` contains the options builders
embed, and `step.StepConnect` connects during a build.
"""
