"""Post-processors that turn a VM artifact into other platforms' formats: VMware, VirtualBox, Hyper-V, Vagrant."""
