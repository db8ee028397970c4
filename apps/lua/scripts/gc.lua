-- Garbage collection under allocation pressure: many short-lived tables and strings, a
-- long-lived structure that must survive, both collector modes; the heap must not grow
-- without bound (checked, not printed: sizes differ between libcs).
local survivors = {}
for i = 1, 200 do survivors[i] = { id = i, name = "item" .. i } end
local function churn(rounds)
  local acc = 0
  for r = 1, rounds do
    local t = {}
    for i = 1, 200 do t[i] = { i, tostring(i * r), string.rep("x", i % 17) } end
    acc = acc + #t + #t[200][2]
  end
  return acc
end
collectgarbage("collect")
local base = collectgarbage("count")
print("incremental", collectgarbage("incremental"))
print("churn", churn(300))
local peak1 = collectgarbage("count")
collectgarbage("collect")
local after1 = collectgarbage("count")
print("generational", collectgarbage("generational"))
print("churn", churn(300))
collectgarbage("collect")
local after2 = collectgarbage("count")
print("incremental", collectgarbage("incremental"))
print("heap grew less than 4 MiB", peak1 - base < 4096, "back near the base", after1 - base < 256, after2 - base < 256)
local ok = true
for i = 1, 200 do ok = ok and survivors[i].id == i and survivors[i].name == "item" .. i end
print("survivors intact", ok)
-- big strings and tables come and go
local total = 0
for i = 1, 50 do
  local s = string.rep("abcdefgh", 8192) -- 64 KiB
  local t = {}
  for j = 1, 2000 do t[j] = j end
  total = total + #s + #t
end
print("big allocations", total)
collectgarbage("collect")
print("back near the base after big ones", collectgarbage("count") - base < 256)
print("step", type(collectgarbage("step")), collectgarbage("isrunning"))
collectgarbage("stop"); print("stopped", collectgarbage("isrunning")); collectgarbage("restart")
-- weak values let cached objects go
local cache = setmetatable({}, { __mode = "v" })
for i = 1, 100 do cache[i] = { i } end
collectgarbage("collect")
local n = 0
for _ in pairs(cache) do n = n + 1 end
print("weak cache emptied", n == 0)
