"""Tenants (Kommunen, Verbünde), users and the law between them."""
