"""Subcommands of ``blocsim`` beyond ``run``/``list``/``validate``: one module each, exposing
``add_parser(subparsers)`` and ``command(args)``. Modules import heavy libraries only inside
``command`` so that ``blocsim --help`` stays fast."""
