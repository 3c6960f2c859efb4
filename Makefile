# PGXS build of the residency extension (the real build).
#   make && make install        build and install into the pg_config found on PATH
#   make installcheck           pg_regress + isolation tests against a running server;
#                               needs residency and the test-only module residency_test
#                               installed: make install install-test-modules
#   make install-test-modules   build and install test/modules/* (never part of make install)
# CMakeLists.txt builds the pure core alone, for unit tests, fuzzing and benchmarks.

EXTENSION  = residency
EXTVERSION = 1.1
MODULE_big = residency
# The current version's install script is built from src/sql/residency.sql;
# older versions' scripts and the update scripts are committed and, once
# released, never edited (docs/operations.md, "Upgrading").
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA       = $(EXTENSION)--1.0.sql $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*--*.sql))
PGFILEDESC = "residency - interview-drill backend"

CORE_SRCS = $(sort $(wildcard src/core/*.cpp))
PG_SRCS   = $(sort $(wildcard src/pg/*/*.cpp))
OBJS      = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=residency
ISOLATION    = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=residency
# installcheck first checks that the test-only modules are installed and that
# Stripe's Node library, which signs sql/stripe.sql's fixtures, is there (below).
REGRESS_PREP = check-test-modules check-stripe-library

PG_CONFIG ?= pg_config

# The extension is C++; PostgreSQL's LLVM JIT can inline only what it has
# bitcode for, and nothing here is hot inside expression evaluation. The
# bitcode step would also need the exact clang PostgreSQL was built with
# (clang-14 for Debian's PostgreSQL 15), so it is switched off.
override with_llvm = no

WERROR ?= -Werror
# Sanitizer flags for compiling and linking, none in the release build:
# scripts/sanitize.sh (make sanitize) sets them to build residency and the
# test-only modules with ASan and UBSan (docs/sanitizers.md).
SANITIZE ?=
PG_CXXFLAGS = -std=c++17 -Wall -Wextra $(WERROR) -fno-omit-frame-pointer $(SANITIZE)
SHLIB_LINK  = -lstdc++ -lcrypto $(SANITIZE)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Postgres headers as system headers: their warnings are not ours.
override CPPFLAGS := $(patsubst -I$(includedir_server),-isystem $(includedir_server),$(CPPFLAGS))

# The core never sees Postgres headers: compile it without their path.
$(CORE_SRCS:.cpp=.o): override CPPFLAGS := -DRESIDENCY_CORE -I$(srcdir)/src/core

$(OBJS): $(wildcard src/core/*.hpp src/pg/*/*.hpp)

$(EXTENSION)--$(EXTVERSION).sql: src/sql/$(EXTENSION).sql
	cp $< $@

# Test-only modules (PostgreSQL's src/test/modules pattern): extensions the
# regression suite needs and production never gets. `make install` leaves
# them out; scripts/test.sh installs them before `make installcheck`, which
# stops early, saying so, when one is missing (sql/boundary.sql needs
# residency_test). Each is its own PGXS build, with the same PG_CONFIG.
TEST_MODULES = $(sort $(wildcard test/modules/*/Makefile))

.PHONY: test-modules install-test-modules check-test-modules clean-test-modules
test-modules:
	@set -e; for m in $(dir $(TEST_MODULES)); do $(MAKE) -C $$m PG_CONFIG=$(PG_CONFIG) WERROR=$(WERROR) SANITIZE='$(SANITIZE)'; done
install-test-modules: test-modules
	@set -e; for m in $(dir $(TEST_MODULES)); do $(MAKE) -C $$m PG_CONFIG=$(PG_CONFIG) WERROR=$(WERROR) SANITIZE='$(SANITIZE)' install; done
check-test-modules:
	@set -e; for m in $(notdir $(patsubst %/,%,$(dir $(TEST_MODULES)))); do \
		test -f '$(datadir)/extension/'$$m.control || \
		{ echo "installcheck needs the test module $$m: run make install-test-modules" >&2; exit 1; }; done
clean-test-modules:
	@set -e; for m in $(dir $(TEST_MODULES)); do $(MAKE) -C $$m PG_CONFIG=$(PG_CONFIG) clean; done
clean: clean-test-modules

.PHONY: check-stripe-library
check-stripe-library:
	@test -f test/stripe/node_modules/stripe/package.json || \
		{ echo "sql/stripe.sql signs its fixtures with Stripe's Node library: run scripts/setup.sh (npm ci in test/stripe)" >&2; exit 1; }

# Benchmarks B1-B7 on a throwaway cluster (targets and method: docs/benchmarks.md).
.PHONY: bench
bench:
	scripts/bench.sh

# Read replicas under load: a primary and a hot standby of it, reads on each
# while the primary takes drills, and the replay lag (test/standby/bench.sh,
# docs/scaling.md). Uses the installed extension: make install first.
.PHONY: bench-standby
bench-standby:
	test/standby/bench.sh

# pg_regress and the isolation specs against residency built with ASan and
# UBSan, in a private server tree and cluster (scripts/sanitize.sh,
# docs/sanitizers.md); the system's PostgreSQL directories are left alone.
.PHONY: sanitize
sanitize:
	scripts/sanitize.sh

# The scorer against human ratings (scripts/calibrate.sh, docs/scoring.md).
.PHONY: calibrate
calibrate:
	scripts/calibrate.sh

# The product's main job on its embedded default: a throwaway cluster, the
# bundled content pack, a demo drill through the API (scripts/demo.sh).
.PHONY: demo
demo:
	scripts/demo.sh

# The README's commands on a fresh Debian 12 machine with only git: a
# throwaway debootstrap --variant=minbase root, scripts/demo.sh in it, and
# scripts/test.sh too with FRESH_TESTS=1 (test/fresh/run.sh; needs root).
.PHONY: fresh-machine
fresh-machine:
	FRESH_TESTS=$(or $(FRESH_TESTS),0) test/fresh/run.sh

# The evaluation worker (src/worker, docs/worker.md): a libpq client built
# by CMake, apart from the extension. `make worker` builds
# build-worker/residency-worker and its unit tests (ctest --test-dir
# build-worker -L worker); `make install-worker` installs the binary into
# $(WORKER_BINDIR), /usr/local/bin by default (not pg_config's bindir: it
# is a client of the database, not a part of the server).
WORKER_BUILD  ?= build-worker
WORKER_BINDIR ?= /usr/local/bin
# OFF builds the worker alone, without GoogleTest (the demo: make worker WORKER_TESTS=OFF)
WORKER_TESTS  ?= ON

.PHONY: worker install-worker clean-worker
worker:
	cmake -S . -B $(WORKER_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRESIDENCY_WORKER=ON -DRESIDENCY_TESTS=$(WORKER_TESTS)
	cmake --build $(WORKER_BUILD) -j$$(nproc) --target residency-worker $(if $(filter ON,$(WORKER_TESTS)),residency_worker_tests)
install-worker: worker
	install -d '$(DESTDIR)$(WORKER_BINDIR)'
	install -m 755 $(WORKER_BUILD)/residency-worker '$(DESTDIR)$(WORKER_BINDIR)/residency-worker'
clean-worker:
	rm -rf $(WORKER_BUILD)
