// Included first by every header in src/core: the core is plain C++ and
// never sees a Postgres header. The enforcement is the build: both builds
// compile the core without the server include directory, so an #include of
// postgres.h in a core file fails outright. With RESIDENCY_CORE defined (both
// builds do), this also stops a core file that includes a Postgres header
// before its first core header.
#pragma once

#if defined(RESIDENCY_CORE) && (defined(POSTGRES_H) || defined(C_H) || defined(PG_VERSION_NUM))
#error "src/core is pure C++: do not include Postgres headers here"
#endif
