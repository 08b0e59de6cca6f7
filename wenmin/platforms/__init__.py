"""四平台: service centres and mass work stations."""
