-- os.time and os.clock: the values change from run to run, so only checks are printed;
-- fixed dates are converted exactly.
local t = os.time()
print("os.time is an integer", math.type(t))
print("os.time is after 2020-01-01", t > 1577836800)
local c0 = os.clock()
local x = 0
for i = 1, 200000 do x = x + i % 7 end
local c1 = os.clock()
print("os.clock is a float", math.type(c0), "and does not go back", c1 >= c0, x)
print(os.time({ year = 2000, month = 1, day = 1, hour = 0 }))
print(os.time({ year = 2024, month = 2, day = 29, hour = 12, min = 30, sec = 15 }))
print(os.time({ year = 2024, month = 14, day = 1, hour = 0 }))
print(os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%Y-%m-%d %H:%M:%S", 951782400))
print(os.date("!%A %B %j %w %y %%", 1700000000))
local d = os.date("!*t", 1234567890)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
print(os.difftime(t + 60, t), math.type(os.difftime(t, t)))
local now = os.date("*t")
print("os.date('*t') has a year after 2020", now.year >= 2020)
print(os.getenv("NO_SUCH_VARIABLE_HERE"))
print(pcall(os.date, "%Ez"))
