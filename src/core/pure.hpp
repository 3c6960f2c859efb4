// Included first by every header in src/core: the core is plain C++ and
// never sees a Postgres header. Both builds compile the core without the
// server include directory and with RESIDENCY_CORE defined, so an #include
// of postgres.h in a core file fails outright, and this catches a Postgres
// header reaching a core file by any other path.
#pragma once

#if defined(RESIDENCY_CORE) && (defined(POSTGRES_H) || defined(C_H) || defined(PG_VERSION_NUM))
#error "src/core is pure C++: do not include Postgres headers here"
#endif
