"""Accounts: sign-up, sign-in, passwords, staff users and their scope."""
