# Prints each failed test of a TRX file with the first lines of its failure message (scripts/test.sh runs it: CI keeps
# only the end of the output, so a failure seen there must carry its reason).
function unescape(text) {
  gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&quot;/, "\"", text); gsub(/&apos;/, "'", text)
  gsub(/&#xD;/, "", text); gsub(/&#xA;/, " ", text); gsub(/&amp;/, "\\&", text)
  return text
}
/<UnitTestResult / && /outcome="Failed"/ {
  failing = 1
  match($0, /testName="[^"]*"/)
  name = unescape(substr($0, RSTART + 10, RLENGTH - 11))
}
failing && /<Message>/ {
  inside = 1
  shown = 0
  print "  " name ":"
  sub(/.*<Message>/, "")
}
inside {
  last = sub(/<\/Message>.*/, "")
  line = unescape($0)
  if (shown < 8 && length(line) > 0) { print "    " substr(line, 1, 300); shown++ }
  if (last) { inside = 0; failing = 0 }
}
