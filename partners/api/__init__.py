"""Version 1 of the partner API: the register's public facts, new registrations, and the
partner desks' actions (NIF, employer number)."""
