#pragma once

// Which store backend the suite runs on. With CHOM_TEST_STORE=postgresql
// every fresh test store is a new database on a real PostgreSQL 15 on
// loopback: the server the ctest fixture started (CHOM_TEST_PG_DIR, see
// tests/CMakeLists.txt), or, when a test binary runs on its own, a private
// one this process starts on first use and stops at exit. Otherwise it is a
// SQLite file in the test's temp directory.

#include "store/Store.h"

#include <QString>

namespace chom::test {

bool onPostgres();

// A configuration for a new, empty store: "<dir>/chom.sqlite", or a new
// database on the suite's server. Fails the test process (qFatal) when the
// server cannot be reached: a backend run must never quietly fall back.
StoreConfig freshStoreConfig(const QString& dir);

// Removes what freshStoreConfig() made on PostgreSQL (the database, even
// while connections remain); SQLite files go with their temp directory.
void dropStore(const StoreConfig& config);

} // namespace chom::test
