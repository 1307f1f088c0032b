"""Post-processors for images in a Docker engine: import, tag, save, push and OCI layout export."""
