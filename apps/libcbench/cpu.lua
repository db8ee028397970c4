-- The Lua benchmark script (apps/libcbench/libcbench.h): fixed CPU-bound work in the
-- interpreter, its allocator and its libc (string formatting, number parsing, memcpy, malloc).
-- Deterministic: it returns a line that must be the same on KOITO and on Linux.

-- Integer arithmetic.
local acc = 0
for i = 1, 20000 do
  acc = (acc * 31 + i * i) % 1000000007
end

-- Floating point (only correctly rounded operations: the same bits with any libm).
local x = 0.0
for i = 1, 6000 do
  x = x + math.sqrt(i) / (i + 0.5)
end

-- Strings: formatting, concatenation, patterns, substitution, number parsing.
local parts = {}
for i = 1, 1000 do
  parts[#parts + 1] = string.format("%d:%x:%.3f", i, i * 7, i / 7)
end
local s = table.concat(parts, ",")
local digits = 0
for w in s:gmatch("(%d+):") do
  digits = digits + #w
end
local hashed, subs = s:gsub("%d%d", "#")
local parsed = 0.0
for f in s:gmatch(":(%d+%.%d+)") do
  parsed = parsed + tonumber(f)
end

-- Tables: an array sorted, a hash filled and walked, records built and dropped (garbage).
local t = {}
for i = 1, 3000 do
  t[i] = (i * 7919) % 10007
end
table.sort(t)
local h = {}
for i = 1, 3000 do
  local k = "k" .. (i % 500)
  h[k] = (h[k] or 0) + i
end
local hsum = 0
for _, v in pairs(h) do
  hsum = hsum + v
end
local kept = 0
for i = 1, 4000 do
  local r = { id = i, name = "n" .. i, tags = { i, i + 1 } }
  if r.id % 100 == 0 then
    kept = kept + #r.name + r.tags[2]
  end
end

return string.format("%d %.6f %d %d %d %.3f %d %d %d %d", acc, x, #s, digits, subs, parsed,
  t[1] + t[#t], #hashed, hsum, kept)
