# The two commands a newcomer needs:
#   make run    set everything up, load the demo data, serve http://127.0.0.1:$(PORT)
#   make test   set everything up, run the whole test suite on PostgreSQL
PORT ?= 8000
PYTHON_VENV := .venv/bin/python
MANAGE := $(PYTHON_VENV) manage.py
# Migrations run as the database owner; everything else as the app role, which may not rewrite the
# history or the decisions (docs/security.md, "Database roles"). On the embedded PostgreSQL the
# migration creates the app role and grants its rights; with DATABASE_URL, the owner's connection
# is DATABASE_OWNER_URL.
AS_OWNER := PORTAL_DB_ROLE=owner

.PHONY: run test serve bench venv migrate demo check stop clean-db

venv:
	@sh scripts/ensure-venv.sh

migrate: venv
	@$(AS_OWNER) $(MANAGE) migrate --no-input
	@$(MANAGE) recheck_rule_checks

demo: migrate
	@$(MANAGE) seed_demo

run: demo
	@echo "Portal on http://127.0.0.1:$(PORT)/  (demo accounts: see README.md)"
	@PORT=$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

# The test runner creates and migrates the test database as the owner;
# tests/security/test_database_roles.py connects as the app role.
test: venv
	@$(AS_OWNER) $(PYTHON_VENV) -m pytest $(PYTEST_ARGS)

# The production configuration on one machine: DEBUG off, settings only from the environment
# (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL required; see README), gunicorn on $(PORT).
serve: venv
	@DEBUG=0 $(PYTHON_VENV) -m portal.preflight
	@DEBUG=0 $(AS_OWNER) $(MANAGE) migrate --no-input
	@DEBUG=0 $(MANAGE) recheck_rule_checks
	@DEBUG=0 $(MANAGE) collectstatic --no-input --verbosity 0
	@DEBUG=0 PORT=$(PORT) .venv/bin/gunicorn --config portal/gunicorn_conf.py portal.wsgi

# The performance bench (docs/performance.md): 200,000 cases in its own database, gunicorn under
# wrk, about 15 minutes. Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--only queue".
bench: venv
	@$(PYTHON_VENV) bench/run.py $(BENCH_ARGS)

check: venv
	@$(MANAGE) check
	@$(MANAGE) makemigrations --check --dry-run

# Stops the embedded PostgreSQL and deletes its data (demo data is reloaded by `make run`).
# The embedded PostgreSQL outlives `make run` (Ctrl+C stops the portal only).
stop: venv
	@$(PYTHON_VENV) -m portal.embedded_db stop

clean-db: venv
	@$(PYTHON_VENV) -m portal.embedded_db stop
	rm -rf .pgdata
