"""The screens, one module each; the app imports each where it opens it."""
