-- Closures, coroutines, pcall and error.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2())
local fns = {}
for i = 1, 3 do fns[i] = function() return i * 10 end end
print(fns[1](), fns[2](), fns[3]())
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function varargs(...) return select("#", ...), ... end
print(varargs(1, nil, 3))
print((varargs(1, 2)))
-- coroutines
local gen = coroutine.wrap(function(a)
  local b = coroutine.yield(a + 1)
  local c = coroutine.yield(b * 2)
  return "done", c
end)
print(gen(1)); print(gen(10)); print(gen("x"))
local co = coroutine.create(function(...)
  print("start", ...)
  for i = 1, 3 do coroutine.yield(i) end
  error("inside")
end)
for _ = 1, 5 do print(coroutine.resume(co, "arg")) end
print(coroutine.status(co), coroutine.isyieldable(), select(2, coroutine.running()))
local function producer()
  return coroutine.wrap(function() for i = 1, 5 do coroutine.yield(i * i) end end)
end
local sum = 0
for v in producer() do sum = sum + v end
print("sum of squares", sum)
print(coroutine.close(coroutine.create(function() end)))
-- pcall, error, xpcall
print(pcall(error, "msg"))
local okt, et = pcall(error, { code = 42 })
print(okt, type(et), et.code)
print(pcall(function() local x = nil; return x.field end))
print(pcall(function() error("level 2", 2) end))
print(pcall(function() error() end))
print(xpcall(function() error("boom") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
local ok, e = pcall(function() return 1 + {} end)
print(ok, e)
local ok2, e2 = pcall(string.rep, "x", -1)
print(ok2, e2 == "")
-- deep recursion
local function depth(n) return n == 0 and 0 or 1 + depth(n - 1) end
print(depth(10000))
-- tail calls do not grow the stack
local function loop(n) if n == 0 then return "tail" end return loop(n - 1) end
print(loop(1000000))
-- goto and upvalues shared
local shared = 0
local function inc() shared = shared + 1 end
local function get() return shared end
inc(); inc(); print(get())
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, j, " ")
    ::continue::
  end
end
print()
