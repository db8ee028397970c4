/* Time: the TSC for intervals (clock, times, gettimeofday's fraction), the CMOS RTC for the
 * date, read once (at the first gettimeofday after koito_time_rtc). */
#include <errno.h>
#include <koito.h>
#include <liba9n.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

static a9n_word rtc_port;
static bool rtc_read;
static uint64_t rtc_seconds; /* the date at rtc_tsc, in seconds since 1970 */
static uint64_t rtc_tsc;
static uint64_t hz;

void koito_time_rtc(a9n_word io_port)
{
    rtc_port = io_port;
    rtc_read = false;
}

uint64_t koito_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

uint64_t koito_tsc_hz(void)
{
    if (hz != 0)
        return hz;
    uint32_t r[4];
    cpuid(0, r);
    uint32_t max = r[0];
    hz = 1000000000ull; /* QEMU under -icount shift=0: one tick per nanosecond */
    if (max >= 0x15) {
        cpuid(0x15, r); /* TSC = crystal (ECX) * EBX / EAX */
        if (r[0] != 0 && r[1] != 0 && r[2] != 0) {
            hz = (uint64_t)r[2] * r[1] / r[0];
            return hz;
        }
    }
    if (max >= 0x16) {
        cpuid(0x16, r); /* the base frequency in MHz */
        if ((r[0] & 0xffff) != 0)
            hz = (uint64_t)(r[0] & 0xffff) * 1000000ull;
    }
    return hz;
}

static bool cmos(unsigned reg, unsigned *value)
{
    a9n_word v = 0;
    if (a9n_io_port_write(rtc_port, 0x70, 1, reg) != A9N_SUCCESS ||
        a9n_io_port_read(rtc_port, 0x71, 1, &v) != A9N_SUCCESS)
        return false;
    *value = (unsigned)v & 0xff;
    return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool read_rtc(void)
{
    unsigned status = 0, b = 0, t[6], again[6];
    static const unsigned regs[6] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09};
    /* Read until two readings agree outside an update (status A bit 7). */
    for (int tries = 0; tries < 1000; tries++) {
        if (!cmos(0x0a, &status))
            return false;
        if (status & 0x80)
            continue;
        for (int i = 0; i < 6; i++)
            if (!cmos(regs[i], &t[i]))
                return false;
        for (int i = 0; i < 6; i++)
            cmos(regs[i], &again[i]);
        bool same = true;
        for (int i = 0; i < 6; i++)
            same = same && t[i] == again[i];
        if (same)
            break;
    }
    if (!cmos(0x0b, &b))
        return false;
    bool pm = !(b & 0x02) && (t[2] & 0x80);
    t[2] &= 0x7f;
    if (!(b & 0x04)) /* BCD */
        for (int i = 0; i < 6; i++)
            t[i] = (t[i] >> 4) * 10 + (t[i] & 0x0f);
    if (pm)
        t[2] = (t[2] % 12) + 12;
    int64_t days = days_from_civil(2000 + t[5], t[4], t[3]);
    rtc_seconds = (uint64_t)(days * 86400 + t[2] * 3600 + t[1] * 60 + t[0]);
    rtc_tsc = koito_tsc();
    return true;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    if (rtc_port == 0) {
        errno = ENOSYS; /* no clock to read the date from */
        return -1;
    }
    if (!rtc_read) {
        if (!read_rtc()) {
            errno = EIO;
            return -1;
        }
        rtc_read = true;
    }
    uint64_t ticks = koito_tsc() - rtc_tsc, f = koito_tsc_hz();
    if (tv != NULL) {
        tv->tv_sec = (time_t)(rtc_seconds + ticks / f);
        tv->tv_usec = (suseconds_t)((ticks % f) * 1000000ull / f);
    }
    return 0;
}

/* CPU time: the TSC since the program started, all of it user time (a process cannot tell
 * its own share of the processor). */
clock_t times(struct tms *buf)
{
    static uint64_t start;
    if (start == 0)
        start = koito_tsc();
    uint64_t ticks = (koito_tsc() - start) / (koito_tsc_hz() / CLK_TCK);
    if (buf != NULL)
        *buf = (struct tms){.tms_utime = (clock_t)ticks, .tms_stime = 0};
    return (clock_t)ticks;
}

int _gettimeofday(struct timeval *tv, void *tz) __attribute__((alias("gettimeofday")));
clock_t _times(struct tms *buf) __attribute__((alias("times")));
