"""Development data: the demo (`manage.py seed_demo`, run by `make run`) and the national-scale
data of the performance work (`manage.py seed_scale`, `bench/`).

Nothing here is part of the product. The portal's code (portal/, applications/, regions/) never
imports devdata; devdata builds its data through the product's models and services, and the tests
and the bench import it. An import contract in pyproject.toml (`lint-imports`, run by .ci/run)
keeps it that way.

- demo.py: demo accounts (password `demo-pass-2021`), two companies, cases in every state.
- demo_rules.py: the demo's rule versions of every region (plausible, not the regions' orders).
- scale_data.py: 200,000 synthetic cases streamed with COPY, for docs/performance.md.
- management/commands/: seed_demo and seed_scale, which parse their arguments and call the above.
"""
