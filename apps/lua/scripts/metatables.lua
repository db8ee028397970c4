-- Metatables.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({ x = x, y = y }, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(b * a.x, b * a.y) end
  return a.x * b.x + a.y * b.y
end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a:len2() < b:len2() end
V.__le = function(a, b) return a:len2() <= b:len2() end
V.__len = function(a) return 2 end
V.__tostring = function(a) return "(" .. a.x .. ", " .. a.y .. ")" end
V.__concat = function(a, b) return tostring(a) .. tostring(b) end
V.__call = function(a, k) return a[k] end
V.__idiv = function(a, n) return vec(a.x // n, a.y // n) end
V.__mod = function(a, n) return vec(a.x % n, a.y % n) end
V.__band = function(a, b) return "band" end
function V:len2() return self.x * self.x + self.y * self.y end
local a, b = vec(1, 2), vec(3, 4)
print(tostring(a + b), tostring(a - b), a * b, tostring(2 * a), tostring(-a))
print(a == vec(1, 2), a ~= b, a < b, a <= b, b > a, #a, a .. b, a("y"))
print(tostring(vec(7, 9) // 2), tostring(vec(7, 9) % 4), a & b, rawequal(a, vec(1, 2)))
-- __index and __newindex as functions and tables
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. tostring(k); return k == "answer" and 42 or nil end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. tostring(k); rawset(t, k, v * 2) end,
})
print(proxy.answer, proxy.other); proxy.z = 5; print(proxy.z, rawget(proxy, "z"))
print(table.concat(log, ", "))
local defaults = setmetatable({}, { __index = { color = "red", size = 1 } })
defaults.size = 3
print(defaults.color, defaults.size)
-- inheritance
local Animal = {}; Animal.__index = Animal
function Animal.new(name) return setmetatable({ name = name }, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, { __index = Animal }); Dog.__index = Dog
function Dog.new(name) return setmetatable(Animal.new(name), Dog) end
function Dog:speak() return self.name .. " barks; " .. Animal.speak(self) end
print(Dog.new("rex"):speak(), getmetatable(Dog.new("x")) == Dog)
-- __close, __gc, __mode, __metatable, __pairs
do
  local x <close> = setmetatable({}, { __close = function(_, e) print("closed", e) end })
  print("in block")
end
print(pcall(function()
  local y <close> = setmetatable({}, { __close = function(_, e) print("closed on error", e) end })
  error("fail", 0)
end))
local protected = setmetatable({}, { __metatable = "locked" })
print(getmetatable(protected), pcall(setmetatable, protected, {}))
local ordered = setmetatable({}, { __pairs = function(t)
  local i = 0
  return function() i = i + 1; if i <= 3 then return i, i * i end end, t, nil
end })
for k, v in pairs(ordered) do io.write(k, "=", v, " ") end
print()
local gced = 0
do
  for i = 1, 10 do setmetatable({}, { __gc = function() gced = gced + 1 end }) end
end
collectgarbage(); collectgarbage()
print("finalizers run", gced)
local weak = setmetatable({}, { __mode = "k" })
weak[{}] = 1; weak[{}] = 2
local keep = {}; weak[keep] = 3
collectgarbage()
local left = 0
for _ in pairs(weak) do left = left + 1 end
print("weak keys left", left)
print(getmetatable("abc").__index == string, ("x"):upper())
