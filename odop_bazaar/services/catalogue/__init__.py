"""The catalogue: listings, photos, moderation, search and the storefront."""
