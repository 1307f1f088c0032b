# Boots kiln's tiny test image under QEMU, provisions it over SSH and keeps the disk.
#
#   scripts/build-test-image                 # once: prints the image folder
#   kiln build -var "image_dir=$(scripts/build-test-image)" examples/quickstart

variable "image_dir" {
  type        = string
  description = "Folder printed by scripts/build-test-image."
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

  ssh_username         = "root"
  ssh_private_key_file = "${var.image_dir}/id_ed25519"
  ssh_timeout          = "2m"
  boot_wait            = "1ms"
  shutdown_command     = "poweroff"
  shutdown_timeout     = "1m"

  output_directory = "output/quickstart"
  vm_name          = "tiny.qcow2"
}

build {
  sources = ["source.qemu.tiny"]

  provisioner "file" {
    source      = "${path.root}/files/motd"
    destination = "/etc/motd"
  }

  provisioner "shell" {
    inline = [
      "echo \"built by kiln for ${source.name}\" > /etc/kiln-release",
      "cat /etc/motd /etc/kiln-release",
      "sync",
    ]
  }

  post-processor "manifest" {
    output = "output/manifest.json"
  }

  post-processor "checksum" {
    checksum_types = ["sha256"]
    output         = "output/quickstart.{{.ChecksumType}}"
  }
}
