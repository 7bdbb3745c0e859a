"""Load test with locust (not part of the suite): staff, publishers and admins at once."""
