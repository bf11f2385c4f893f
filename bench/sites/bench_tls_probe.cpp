// TlsProbe over every name of a TLS farm (scripts/services/tls-farm.sh,
// started by scripts/bench-tls.sh) against the shell loop an operator would
// write: `openssl s_client | openssl x509` once per name. Repetitions
// alternate ours and the loop; prints Markdown for docs/PERFORMANCE.md on
// stdout, progress on stderr.
//
//   bench_tls_probe --port P --ca CA.pem --names FILE [--reps N] [--peer-reps N]
//                   [--concurrency N]
#include "sites/TlsProbe.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <cstdio>

using namespace chom;

namespace {

struct Config
{
    quint16 port = 0;
    QString caFile;
    QString namesFile;
    QStringList names;
    int reps = 5;
    int peerReps = 5;
    int concurrency = 64;
};

[[noreturn]] void die(const QString& msg)
{
    std::fprintf(stderr, "bench_tls_probe: %s\n", qPrintable(msg));
    std::exit(1);
}

void note(const QString& msg)
{
    std::fprintf(stderr, "bench_tls_probe: %s\n", qPrintable(msg));
}

void out(const QString& line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

double median(QVector<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int n = int(v.size());
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2;
}

QString samples(const QVector<double>& v)
{
    QStringList s;
    for (double x : v)
        s << QString::number(x, 'f', 0);
    return QStringLiteral("[%1]").arg(s.join(QStringLiteral(", ")));
}

// The loop, exactly as documented in docs/PERFORMANCE.md.
QString peerLoop(const Config& c)
{
    return QStringLiteral("while read -r name; do openssl s_client -connect 127.0.0.1:%1 "
                          "-servername \"$name\" </dev/null 2>/dev/null | openssl x509 -noout "
                          "-enddate -issuer; done <%2")
        .arg(c.port)
        .arg(c.namesFile);
}

Config parse(const QCoreApplication& app)
{
    QCommandLineParser p;
    auto opt = [](const char* name, const char* help, const char* value, const char* def = "") {
        return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help),
                                  QString::fromLatin1(value), QString::fromLatin1(def));
    };
    p.addOptions({opt("port", "farm TLS port", "P"), opt("ca", "farm CA (PEM)", "FILE"),
                  opt("names", "one name a line", "FILE"), opt("reps", "our repetitions", "N", "5"),
                  opt("peer-reps", "openssl loop repetitions", "N", "5"),
                  opt("concurrency", "sockets at once", "N", "64")});
    p.process(app);
    Config c;
    c.port = quint16(p.value(QStringLiteral("port")).toUInt());
    c.caFile = p.value(QStringLiteral("ca"));
    c.namesFile = p.value(QStringLiteral("names"));
    c.reps = std::max(1, p.value(QStringLiteral("reps")).toInt());
    c.peerReps = std::max(1, p.value(QStringLiteral("peer-reps")).toInt());
    c.concurrency = std::max(1, p.value(QStringLiteral("concurrency")).toInt());
    QFile f(c.namesFile);
    if (c.port == 0 || !f.open(QIODevice::ReadOnly))
        die(QStringLiteral("--port and a readable --names file are needed"));
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            c.names << QString::fromUtf8(line.trimmed());
    return c;
}

// One batch over every name; the wall time in ms. Every name must come back
// reachable, trusted and matching, or the run does not count.
double ours(const Config& c, int concurrency, const QList<QSslCertificate>& ca)
{
    TlsProbe::Options o;
    o.concurrency = concurrency;
    o.caCertificates = ca;
    TlsProbe probe(o);
    QVector<TlsTarget> targets;
    for (const QString& n : c.names)
        targets.push_back({n, QStringLiteral("127.0.0.1"), c.port});
    QEventLoop loop;
    QVector<ServedCertificate> got;
    QElapsedTimer t;
    t.start();
    probe.probe(targets, [&](const QVector<ServedCertificate>& r) {
        got = r;
        loop.quit();
    });
    loop.exec();
    const double ms = double(t.nsecsElapsed()) / 1e6;
    for (const ServedCertificate& r : got)
        if (!r.reachable || !r.trusted || !r.namesMatch || !r.notAfter.isValid())
            die(QStringLiteral("%1: %2 %3").arg(r.domain, r.errorCode, r.error));
    return ms;
}

double peer(const Config& c)
{
    QProcess p;
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral("bash"), {QStringLiteral("-c"), peerLoop(c)});
    if (!p.waitForFinished(600000) || p.exitCode() != 0)
        die(QStringLiteral("the openssl loop failed"));
    const double ms = double(t.nsecsElapsed()) / 1e6;
    const int dates = int(p.readAllStandardOutput().count("notAfter="));
    if (dates != c.names.size())
        die(QStringLiteral("the openssl loop read %1 of %2 dates").arg(dates).arg(c.names.size()));
    return ms;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2);
}

QString verdict(bool met)
{
    return met ? QStringLiteral("**met**") : QStringLiteral("**missed**");
}

void report(const Config& c, const QVector<double>& a, const QVector<double>& seq,
            const QVector<double>& loop, const QString& loadStart)
{
    const double ma = median(a), ms = median(seq), ml = median(loop);
    const int n = int(c.names.size());
    out(QStringLiteral("### TLS probe: %1 names, run of %2 on %3 cores")
            .arg(n)
            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mmZ")))
            .arg(QThread::idealThreadCount()));
    out({});
    out(QStringLiteral("Load average at start: %1, at end: %2. Wall time of each whole batch, "
                       "medians; ratio < 1 means ours is faster.")
            .arg(loadStart, loadAverage()));
    out({});
    out(QStringLiteral("| what | ours (median) | openssl loop (median) | ratio | goal |"));
    out(QStringLiteral("|---|---:|---:|---:|---|"));
    out(QStringLiteral(
            "| TlsProbe, concurrency %1, all %2 names | %3 ms | %4 ms | %5× | ≤ 3 s: %6; "
            "≤ 0.1× the loop: %7 |")
            .arg(c.concurrency)
            .arg(n)
            .arg(ma, 0, 'f', 0)
            .arg(ml, 0, 'f', 0)
            .arg(ma / ml, 0, 'f', 3)
            .arg(verdict(ma <= 3000), verdict(ma / ml <= 0.1)));
    out(QStringLiteral("| TlsProbe, concurrency 1 (one at a time, like the loop) | %1 ms | %2 ms | "
                       "%3× | reference |")
            .arg(ms, 0, 'f', 0)
            .arg(ml, 0, 'f', 0)
            .arg(ms / ml, 0, 'f', 3));
    out({});
    out(QStringLiteral("Per name: TlsProbe %1 ms (concurrency %2), %3 ms (one at a time); "
                       "openssl loop %4 ms.")
            .arg(ma / n, 0, 'f', 2)
            .arg(c.concurrency)
            .arg(ms / n, 0, 'f', 2)
            .arg(ml / n, 0, 'f', 2));
    out({});
    out(QStringLiteral("Raw samples (ms, in run order): ours %1; one at a time %2; loop %3")
            .arg(samples(a), samples(seq), samples(loop)));
    out({});
    out(QStringLiteral("The loop: `%1`").arg(peerLoop(c)));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const Config c = parse(app);
    const QList<QSslCertificate> ca = QSslCertificate::fromPath(c.caFile);
    if (ca.isEmpty())
        die(QStringLiteral("no CA certificate in %1").arg(c.caFile));
    const QString loadStart = loadAverage();
    note(QStringLiteral("%1 names on 127.0.0.1:%2; warming up").arg(c.names.size()).arg(c.port));
    ours(c, c.concurrency, ca); // TLS library and CA loading, not measured
    QVector<double> a, seq, loop;
    for (int i = 0; i < std::max(c.reps, c.peerReps); ++i) {
        if (i < c.reps) {
            a << ours(c, c.concurrency, ca);
            seq << ours(c, 1, ca);
        }
        if (i < c.peerReps)
            loop << peer(c);
        auto ms = [](const QVector<double>& v, int k) {
            return k < v.size() ? QString::number(v.at(k), 'f', 0) : QStringLiteral("-");
        };
        note(QStringLiteral("rep %1: ours %2 ms, one at a time %3 ms, loop %4 ms")
                 .arg(i + 1)
                 .arg(ms(a, i), ms(seq, i), ms(loop, i)));
    }
    report(c, a, seq, loop, loadStart);
    return 0;
}
