# Reads the linker's -dumpdep output; prints the chain from main to the first symbol that
# reaches reflect.Value.Method, and fails, if there is one.
BEGIN { FS = " -> " }
{
	a = $1; b = $2
	if (!m && index(b, "<ReflectMethod>")) m = b
	else if (!m && index(a, "<ReflectMethod>")) m = a
	sub(/ <ReflectMethod>$/, "", a); sub(/ <ReflectMethod>$/, "", b)
	if (!(b in parent)) parent[b] = a
}
END {
	if (!m) exit 0
	sub(/ <ReflectMethod>$/, "", m)
	chain = m; s = m
	for (i = 0; i < 60 && (s in parent) && parent[s] != s; i++) { s = parent[s]; chain = s "\n  -> " chain }
	print chain
	exit 1
}
