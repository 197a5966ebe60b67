"""The project's own middleware, one concern a module (see MIDDLEWARE in the settings)."""
