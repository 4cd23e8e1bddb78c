"""A toy subject for the engine's own tests: a permit, with a procedure of its own.

Installed by the test settings only (config/settings_test.py). Its handlers record what
the engine called on the permit, so the engine tests need nothing from the register.
"""
