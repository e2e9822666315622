package app.secondheart.core

/** A strict JSON reader (RFC 8259), enough to check an export parses. */
object Json {
    fun parse(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.space()
        require(reader.at == text.length) { "trailing text at ${reader.at}" }
        return value
    }

    private class Reader(val s: String) {
        var at = 0

        fun space() {
            while (at < s.length && s[at] in " \t\r\n") at++
        }

        fun expect(c: Char) {
            space()
            require(at < s.length && s[at] == c) { "expected '$c' at $at" }
            at++
        }

        fun value(): Any? {
            space()
            require(at < s.length) { "unexpected end" }
            return when (val c = s[at]) {
                '{' -> obj()
                '[' -> array()
                '"' -> string()
                't' -> word("true", true)
                'f' -> word("false", false)
                'n' -> word("null", null)
                else -> if (c == '-' || c.isDigit()) number() else throw IllegalArgumentException("unexpected '$c' at $at")
            }
        }

        fun word(w: String, v: Any?): Any? {
            require(s.startsWith(w, at)) { "expected $w at $at" }
            at += w.length
            return v
        }

        fun number(): Double {
            val m = Regex("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?").matchAt(s, at) ?: error("bad number at $at")
            at += m.value.length
            return m.value.toDouble()
        }

        fun string(): String {
            expect('"')
            val out = StringBuilder()
            while (true) {
                require(at < s.length) { "unterminated string" }
                when (val c = s[at++]) {
                    '"' -> return out.toString()
                    '\\' -> when (val e = s[at++]) {
                        'u' -> { out.append(s.substring(at, at + 4).toInt(16).toChar()); at += 4 }
                        'n' -> out.append('\n')
                        't' -> out.append('\t')
                        'r' -> out.append('\r')
                        'b' -> out.append('\b')
                        'f' -> out.append('\u000c')
                        '"', '\\', '/' -> out.append(e)
                        else -> error("bad escape at $at")
                    }
                    else -> { require(c >= ' ') { "control character in string at $at" }; out.append(c) }
                }
            }
        }

        fun obj(): Map<String, Any?> {
            expect('{')
            val out = LinkedHashMap<String, Any?>()
            space()
            if (s[at] == '}') { at++; return out }
            while (true) {
                space()
                val k = string()
                expect(':')
                out[k] = value()
                space()
                if (s[at] == ',') { at++; continue }
                expect('}')
                return out
            }
        }

        fun array(): List<Any?> {
            expect('[')
            val out = mutableListOf<Any?>()
            space()
            if (s[at] == ']') { at++; return out }
            while (true) {
                out += value()
                space()
                if (s[at] == ',') { at++; continue }
                expect(']')
                return out
            }
        }
    }
}
