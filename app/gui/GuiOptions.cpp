#include "GuiOptions.h"

namespace chom {

QString GuiOptions::usage()
{
    return QStringLiteral(
        "Usage: chom-console [options]\n"
        "\n"
        "CHOM Console: the desktop operations console for hosting operators.\n"
        "\n"
        "Options:\n"
        "  --data-dir DIR            Store location (default: $CHOM_DATA_DIR, else the\n"
        "                            per-user data directory)\n"
        "  --store URL               Open a shared PostgreSQL store instead of the local\n"
        "                            file (default: $CHOM_STORE):\n"
        "                            postgresql://user@host:port/database; the password\n"
        "                            comes from a PGPASSFILE (or ~/.pgpass), else the one\n"
        "                            saved by \"chomctl store password\"; never the URL\n"
        "  --demo                    Fill an empty store with demo data (300 sites)\n"
        "  --demo-sites N            Demo data with N sites (implies --demo)\n"
        "  --exit-after-first-paint  Print first_paint_ms and rss_kb once the dashboard\n"
        "                            shows real figures, then idle_rss_kb after 1 s, and quit\n"
        "  --screenshot-dir DIR      With --exit-after-first-paint: save the window as\n"
        "                            DIR/dashboard.png before quitting\n"
        "  -h, --help                Show this help and exit\n"
        "  --version                 Show the version and exit\n");
}

GuiOptions GuiOptions::parse(const QStringList& args)
{
    GuiOptions o;
    for (int i = 1; i < args.size(); ++i) {
        const QString a = args.at(i);
        // Accept both "--opt value" and "--opt=value".
        QString name = a, inlineValue;
        bool hasInline = false;
        if (a.startsWith(QLatin1String("--")) && a.contains(QLatin1Char('='))) {
            name = a.section(QLatin1Char('='), 0, 0);
            inlineValue = a.section(QLatin1Char('='), 1);
            hasInline = true;
        }
        const auto value = [&](QString& out) {
            if (hasInline) {
                out = inlineValue;
                return true;
            }
            if (i + 1 >= args.size()) {
                o.error = QStringLiteral("%1 needs a value.").arg(name);
                return false;
            }
            out = args.at(++i);
            return true;
        };
        if (name == QLatin1String("-h") || name == QLatin1String("--help")) {
            o.help = true;
        } else if (name == QLatin1String("--version") || name == QLatin1String("-v")) {
            o.version = true;
        } else if (name == QLatin1String("--demo")) {
            o.demo = true;
        } else if (name == QLatin1String("--exit-after-first-paint")) {
            o.exitAfterFirstPaint = true;
        } else if (name == QLatin1String("--data-dir")) {
            if (!value(o.dataDir))
                return o;
            if (o.dataDir.isEmpty()) {
                o.error = QStringLiteral("--data-dir needs a directory.");
                return o;
            }
        } else if (name == QLatin1String("--store")) {
            if (!value(o.storeUrl))
                return o;
            if (o.storeUrl.isEmpty()) {
                o.error = QStringLiteral("--store needs a URL.");
                return o;
            }
        } else if (name == QLatin1String("--screenshot-dir")) {
            if (!value(o.screenshotDir))
                return o;
        } else if (name == QLatin1String("--demo-sites")) {
            QString n;
            if (!value(n))
                return o;
            bool ok = false;
            o.demoSites = n.toInt(&ok);
            if (!ok || o.demoSites < 1 || o.demoSites > 1000000) {
                o.error = QStringLiteral("--demo-sites must be a number from 1 to 1000000.");
                return o;
            }
            o.demo = true;
        } else if (name == QLatin1String("-platform") || name == QLatin1String("-style") ||
                   name == QLatin1String("--platform") || name == QLatin1String("--style")) {
            QString ignored; // Qt's own options: QApplication reads them from argv
            if (!value(ignored))
                return o;
        } else if (name.startsWith(QLatin1Char('-'))) {
            o.error = QStringLiteral("Unknown option %1.").arg(a);
            return o;
        } else {
            o.error = QStringLiteral("Unexpected argument %1.").arg(a);
            return o;
        }
    }
    return o;
}

} // namespace chom
