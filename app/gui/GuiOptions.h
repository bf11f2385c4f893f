#pragma once

#include <QString>
#include <QStringList>

namespace chom {

// Command line of chom-console. Parsed without a QCoreApplication so that
// --help and --version work with no display at all.
struct GuiOptions
{
    bool help = false;
    bool version = false;
    QString dataDir;
    QString storeUrl; // empty: $CHOM_STORE, else the SQLite file in dataDir
    bool demo = false;
    int demoSites = 300;
    bool exitAfterFirstPaint = false;
    QString screenshotDir;
    QString error; // non-empty: print with usage, exit 2

    static GuiOptions parse(const QStringList& args); // args[0] is the program
    static QString usage();
};

} // namespace chom
