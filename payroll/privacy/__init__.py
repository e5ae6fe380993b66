"""Personal data protection: resident registration numbers encrypted, fingerprinted and masked."""
