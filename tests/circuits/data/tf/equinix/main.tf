resource "equinix_fabric_connection" "sh_hk" {
  name      = "sh-hk"
  type      = "EVPL_VC"
  bandwidth = 50
  a_side {
    access_point {
      type = "COLO"
      location {
        metro_code = "SH"
      }
    }
  }
  z_side {
    access_point {
      type = "COLO"
      location {
        metro_code = "HK"
      }
    }
  }
}

resource "huaweicloud_cc_global_connection_bandwidth" "gcb" {
  name        = "gcb"
  type        = "Region"
  bordercross = false
  charge_mode = "bwd"
  size        = 10
}
