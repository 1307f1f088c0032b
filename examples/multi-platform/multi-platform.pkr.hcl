# One build block, two sources: kiln's tiny test image under QEMU and a busybox container
# under a Docker-compatible engine. Both get the same provisioners and run in parallel; the
# VM's disk is then exported for VMware, VirtualBox, Hyper-V and Vagrant.
#
#   scripts/multi-platform     # starts a private podman service and runs kiln build here

variable "image_dir" {
  type        = string
  description = "Folder printed by scripts/build-test-image."
}

variable "base_image" {
  type        = string
  default     = "localhost/kiln-busybox:latest"
  description = "Container image the docker source starts from; it must already be in the engine's store."
}

variable "accelerator" {
  type        = string
  default     = ""
  description = "QEMU accelerator; empty picks KVM when it works here, else TCG."
}

source "qemu" "tiny" {
  iso_url      = "${var.image_dir}/disk.qcow2"
  iso_checksum = "none"
  disk_image   = true
  disk_size    = "256M"
  format       = "qcow2"
  accelerator  = var.accelerator
  memory       = 256
  headless     = true

  # ssh_timeout is generous because without KVM the guest boots under TCG, which a busy host
  # slows to minutes.
  ssh_username         = "root"
  ssh_private_key_file = "${var.image_dir}/id_ed25519"
  ssh_timeout          = "5m"
  boot_wait            = "1ms"
  shutdown_command     = "poweroff"
  shutdown_timeout     = "1m"

  output_directory = "output/qemu"
  vm_name          = "tiny.qcow2"
}

source "docker" "tiny" {
  # The container runs with `--entrypoint=/bin/sh`, which the commit keeps unless replaced.
  image  = var.base_image
  pull   = false
  commit = true
  changes = [
    "ENTRYPOINT [\"/bin/sh\", \"-c\"]",
    "CMD [\"cat /etc/motd /etc/kiln-release\"]",
  ]
}

build {
  sources = ["source.qemu.tiny", "source.docker.tiny"]

  # Both sources run these; the commands stay within busybox applets the container has.
  provisioner "file" {
    source      = "${path.root}/files/motd"
    destination = "/etc/motd"
  }

  provisioner "shell" {
    inline = [
      "echo \"built by kiln for ${source.type}.${source.name}\" > /etc/kiln-release",
      "cat /etc/motd /etc/kiln-release",
    ]
  }

  post-processor "docker-tag" {
    only       = ["docker.tiny"]
    repository = "localhost/kiln/multi-platform"
    tags       = ["latest"]
  }

  # Each chain exports the VM's disk, then writes the digests of the export's files beside it.
  # `only` filters each post-processor on its own, so every one of them names the VM.
  post-processors {
    post-processor "vmware-export" {
      only             = ["qemu.tiny"]
      output_directory = "output/vmware"
      vm_name          = "tiny"
      memory           = 256
    }
    post-processor "checksum" {
      only           = ["qemu.tiny"]
      checksum_types = ["sha256"]
      output         = "output/vmware/SHA256SUMS"
    }
  }

  post-processors {
    post-processor "virtualbox-export" {
      only             = ["qemu.tiny"]
      output_directory = "output/virtualbox"
      vm_name          = "tiny"
      format           = "ova"
      memory           = 256
    }
    post-processor "checksum" {
      only           = ["qemu.tiny"]
      checksum_types = ["sha256"]
      output         = "output/virtualbox/SHA256SUMS"
    }
  }

  post-processors {
    post-processor "hyperv-export" {
      only             = ["qemu.tiny"]
      output_directory = "output/hyperv"
      vm_name          = "tiny"
    }
    post-processor "checksum" {
      only           = ["qemu.tiny"]
      checksum_types = ["sha256"]
      output         = "output/hyperv/SHA256SUMS"
    }
  }

  post-processors {
    post-processor "vagrant" {
      only   = ["qemu.tiny"]
      output = "output/vagrant/tiny_{{.Provider}}.box"
    }
    post-processor "checksum" {
      only           = ["qemu.tiny"]
      checksum_types = ["sha256"]
      output         = "output/vagrant/SHA256SUMS"
    }
  }

  post-processor "manifest" {
    output = "output/manifest.json"
  }

  post-processor "checksum" {
    only           = ["qemu.tiny"]
    checksum_types = ["sha256"]
    output         = "output/qemu/SHA256SUMS"
  }
}
