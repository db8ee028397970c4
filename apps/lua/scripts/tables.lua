-- Tables and sorting.
local t = {}
for i = 1, 20 do t[i] = (i * 37) % 23 end
print(#t, table.concat(t, ","))
table.sort(t)
print(table.concat(t, ","))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ","))
local words = { "pear", "Apple", "fig", "banana", "cherry", "apple", "Fig" }
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local people = {
  { name = "ann", age = 31 }, { name = "bob", age = 25 }, { name = "cid", age = 31 },
  { name = "dee", age = 19 }, { name = "eve", age = 25 },
}
table.sort(people, function(a, b) if a.age ~= b.age then return a.age < b.age end return a.name < b.name end)
for _, p in ipairs(people) do io.write(p.name, "=", p.age, " ") end
print()
table.insert(t, 1, 100); table.insert(t, 99); print(t[1], t[#t], #t)
print(table.remove(t), table.remove(t, 1), #t)
print(table.unpack({ 1, 2, 3 }, 2), select("#", table.unpack({}, 1, 3)))
local p = table.pack(1, nil, 3); print(p.n, p[1], p[2], p[3])
print(table.concat(table.move({ 1, 2, 3, 4, 5 }, 2, 4, 1), ","))
-- keys in a fixed order: pairs' order is not specified, so sort them
local m = { x = 1, y = 2, z = 3, [1] = "one", [2] = "two", [3.5] = "float" }
local keys = {}
for k in pairs(m) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
local n = 0
for _ in pairs(m) do n = n + 1 end
print("pairs counted", n, next({}), rawlen({ 1, 2 }), rawequal(m, m))
-- a larger sort: pseudo-random numbers from a fixed linear congruential generator
local seed, big = 12345, {}
for i = 1, 5000 do seed = (seed * 1103515245 + 12345) % 2147483648; big[i] = seed % 100000 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print("sorted 5000", ok, big[1], big[2500], big[5000])
print(pcall(table.sort, { 3, 1, "x" }))
print(pcall(table.insert, { 1 }, 5, 2))
local nested = { a = { b = { c = { 42 } } } }
print(nested.a.b.c[1], #nested.a.b.c, nested.x == nil)
local sparse = {}; sparse[1] = 1; sparse[2] = 2; sparse[4] = 4
print(sparse[3], select("#", table.unpack(sparse, 1, 4)))
local matrix = {}
for i = 1, 3 do matrix[i] = {} for j = 1, 3 do matrix[i][j] = i * j end end
for i = 1, 3 do print(table.concat(matrix[i], " ")) end
