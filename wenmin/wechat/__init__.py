"""WeChat: official accounts as a channel (WeChat's server protocol, plaintext and safe mode), the outbound adapter, menus, and residents' WeChat groups brought in by their cadres."""
