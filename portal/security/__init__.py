"""The portal's own security pieces: the client address behind a proxy, session lifetimes, the
second factor for officers and admins, and the log of sign-ins and refusals.

See docs/security.md for the threat model these serve.
"""
