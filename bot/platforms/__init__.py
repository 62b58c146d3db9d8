"""Platform adapters: where mentions come from and where approved replies go.

``base`` holds the interfaces the rest of the bot depends on; each platform module holds
the real adapter, ``memory`` the in-memory stand-ins, ``registry`` builds the enabled
adapters from the environment.
"""
