"""Policy data (YAML) shipped inside the package as `xborder.policies`."""
