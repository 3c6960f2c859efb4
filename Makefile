# PGXS build of the residency extension (the real build).
#   make && make install        build and install into the pg_config found on PATH
#   make installcheck           pg_regress + isolation tests against a running server
# CMakeLists.txt builds the pure core alone, for unit tests, fuzzing and benchmarks.

EXTENSION  = residency
MODULE_big = residency
DATA       = residency--1.0.sql
PGFILEDESC = "residency - interview-drill backend"

CORE_SRCS = $(sort $(wildcard src/core/*.cpp))
PG_SRCS   = $(sort $(wildcard src/pg/*.cpp))
OBJS      = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=residency
ISOLATION    = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=residency

PG_CONFIG ?= pg_config

# The extension is C++; PostgreSQL's LLVM JIT can inline only what it has
# bitcode for, and nothing here is hot inside expression evaluation. The
# bitcode step would also need the exact clang PostgreSQL was built with
# (clang-14 for Debian's PostgreSQL 15), so it is switched off.
override with_llvm = no

WERROR ?= -Werror
PG_CXXFLAGS = -std=c++17 -Wall -Wextra $(WERROR) -fno-omit-frame-pointer
SHLIB_LINK  = -lstdc++ -lcrypto

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Postgres headers as system headers: their warnings are not ours.
override CPPFLAGS := $(patsubst -I$(includedir_server),-isystem $(includedir_server),$(CPPFLAGS))

# The core never sees Postgres headers: compile it without their path.
$(CORE_SRCS:.cpp=.o): override CPPFLAGS := -DRESIDENCY_CORE -I$(srcdir)/src/core

$(OBJS): $(wildcard src/core/*.hpp src/pg/*.hpp)

# Benchmarks (DESIGN.md section 6) on a throwaway cluster; see docs/benchmarks.md.
.PHONY: bench
bench:
	scripts/bench.sh

# The scorer against human ratings (scripts/calibrate.sh, docs/scoring.md).
.PHONY: calibrate
calibrate:
	scripts/calibrate.sh

# The product's main job on its embedded default: a throwaway cluster, the
# bundled content pack, a demo drill through the API (scripts/demo.sh).
.PHONY: demo
demo:
	scripts/demo.sh
