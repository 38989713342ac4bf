"""Encryption at rest for sensitive fields and files (Fernet, through `cryptography`).

Keys: ``XINAN_ENCRYPTION_KEYS`` (comma-separated Fernet keys, newest first) or, when not
given, a key generated once into ``$XINAN_DATA_DIR/encryption_keys``. Every value is
encrypted with the first key and decrypted with any of them, so rotation is: put a new
key first, run ``xinan rotate_keys`` (re-encrypts in batches, the site stays up), then
drop the old key.
"""
