{{- /*
The addresses of one Service, each refused here where the API server would
refuse it later, at install time, when the message no longer names the values.
Shared by the controller's and the default backend's Services. Call with
(dict "path" <values path> "values" <the Service's values block> "type" <the
Service type the chart renders>).
*/ -}}
{{- define "ingress-nginx.validate.serviceAddresses" -}}
{{- $path := .path -}}
{{- $values := .values -}}
{{- if and (eq (toString $values.clusterIP) "None") (ne (toString .type) "ClusterIP") }}
{{- fail (printf "%s.clusterIP: None makes a headless Service, which Kubernetes allows only of type ClusterIP, and this one is %s. Set %s.type to ClusterIP, or leave %s.clusterIP empty." $path (toString .type) $path $path) }}
{{- end }}
{{- with $values.clusterIP }}
{{- include "ingress-nginx.validate.ipv4Mapped" (dict "path" (printf "%s.clusterIP" $path) "address" .) }}
{{- end }}
{{- range $index, $address := $values.clusterIPs | default list }}
{{- include "ingress-nginx.validate.ipv4Mapped" (dict "path" (printf "%s.clusterIPs[%d]" $path $index) "address" $address) }}
{{- end }}
{{- range $index, $address := $values.externalIPs | default list }}
{{- include "ingress-nginx.validate.ipv4Mapped" (dict "path" (printf "%s.externalIPs[%d]" $path $index) "address" $address) }}
{{- end }}
{{- /* After the mapped check: ::ffff:a60:5 is IPv4 to the API server, so its family would be misjudged. */}}
{{- include "ingress-nginx.validate.clusterIPs" . }}
{{- include "ingress-nginx.validate.externalIPs" . }}
{{- include "ingress-nginx.validate.sourceRanges" . }}
{{- include "ingress-nginx.validate.dualStack" . }}
{{- end -}}

{{- /*
Two families, in ipFamilies or as two clusterIPs, need a dual-stack
ipFamilyPolicy: the API server takes an empty one as SingleStack and refuses
the second family. Services whose values have no ipFamilyPolicy key (the
default backend's) are always single-stack.
*/ -}}
{{- define "ingress-nginx.validate.dualStack" -}}
{{- $path := .path -}}
{{- $values := .values -}}
{{- $policy := toString ($values.ipFamilyPolicy | default "") -}}
{{- if not (has $policy (list "PreferDualStack" "RequireDualStack")) }}
{{- range $key := list "ipFamilies" "clusterIPs" }}
{{- $entries := index $values $key | default list }}
{{- if gt (len $entries) 1 }}
{{- if hasKey $values "ipFamilyPolicy" }}
{{- fail (printf "%s.%s: lists %d entries, one per IP family, while %s.ipFamilyPolicy is %q, and Kubernetes gives a single-stack Service one family only. Set %s.ipFamilyPolicy to PreferDualStack or RequireDualStack, or keep one entry in %s.%s." $path $key (len $entries) $path $policy $path $path $key) }}
{{- end }}
{{- fail (printf "%s.%s: lists %d entries, and this Service is single-stack (the chart sets no ipFamilyPolicy on it), so Kubernetes takes one. Keep one entry in %s.%s." $path $key (len $entries) $path $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- /*
The values schema accepts IPv6 in every spelling, and the API server refuses
the IPv4-mapped ones (::ffff:0:0/96) in a Service: in canonical text that is
zero groups, then ffff and two last groups. Call with (dict "path" <values
path> "address" <the address, without a prefix length>).
*/ -}}
{{- define "ingress-nginx.validate.ipv4Mapped" -}}
{{- if regexMatch "(?i)^[0:]*:ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$" (toString .address) }}
{{- fail (printf "%s: %s is an IPv4-mapped IPv6 address (::ffff:0:0/96), which Kubernetes refuses in a Service. Write the IPv4 address it stands for, or another IPv6 address." .path (toString .address)) }}
{{- end }}
{{- end -}}

{{- /*
A Service's clusterIPs must start with its clusterIP: the API server refuses
clusterIPs without clusterIP, or with another first entry, None beside an
address, and two addresses of one family (more than two entries the schema
refuses).
*/ -}}
{{- define "ingress-nginx.validate.clusterIPs" -}}
{{- $path := .path -}}
{{- $values := .values -}}
{{- with $values.clusterIPs }}
{{- $first := toString (first .) }}
{{- if not $values.clusterIP }}
{{- fail (printf "%s.clusterIPs: is set while %s.clusterIP is empty, and Kubernetes requires clusterIP to be the first entry of clusterIPs. Set %s.clusterIP to %s, or remove %s.clusterIPs." $path $path $path $first $path) }}
{{- end }}
{{- if ne $first (toString $values.clusterIP) }}
{{- fail (printf "%s.clusterIPs: its first entry %s differs from %s.clusterIP (%s), and Kubernetes requires them to be equal. Start %s.clusterIPs with %s, or change %s.clusterIP." $path $first $path (toString $values.clusterIP) $path (toString $values.clusterIP) $path) }}
{{- end }}
{{- if gt (len .) 1 }}
{{- if has "None" (. | toStrings) }}
{{- fail (printf "%s.clusterIPs: None must be its only entry (a headless Service has no cluster address), and Kubernetes refuses it beside another. Set %s.clusterIPs to [None], or list addresses only." $path $path) }}
{{- end }}
{{- $second := toString (index . 1) }}
{{- if eq (contains ":" $first) (contains ":" $second) }}
{{- fail (printf "%s.clusterIPs: %s and %s are of one IP family, and Kubernetes takes one address per family. Keep one address of each family in %s.clusterIPs." $path $first $second $path) }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- /*
The API server refuses an external IP that no outside client can send to: the
unspecified address, loopback, link-local and link-local multicast (Go's
net.IP tests, so ffX2::/16 for any flags nibble X). The schema has already
checked each entry's syntax; these prefixes are enough on that canonical text.
A schema `not` would say only "not failed", so the check lives here, where the
message can name the entry and the range.
*/ -}}
{{- define "ingress-nginx.validate.externalIPs" -}}
{{- $path := .path -}}
{{- $ranges := list
  (list "^0\\.0\\.0\\.0$|^[0:]*:[0:]*$" "the unspecified address (0.0.0.0 or ::)")
  (list "^127\\.|^[0:]*:0*1$" "in the loopback range (127.0.0.0/8, ::1)")
  (list "(?i)^169\\.254\\.|^fe[89ab][0-9a-f]:" "in the link-local range (169.254.0.0/16, fe80::/10)")
  (list "(?i)^224\\.0\\.0\\.|^ff[0-9a-f]2:" "in the link-local multicast range (224.0.0.0/24, ffx2::/16)") -}}
{{- range $index, $address := .values.externalIPs | default list }}
{{- range $range := $ranges }}
{{- if regexMatch (first $range) (toString $address) }}
{{- fail (printf "%s.externalIPs[%d]: %s is %s, which Kubernetes refuses as an external IP. Use an address that clients outside the node reach the Service on, or remove the entry." $path $index (toString $address) (last $range)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- /*
A source range with bits set after its prefix (10.0.0.1/8) is refused by the
API server ("must not have bits set beyond the prefix length"), and no
pattern can say which bits those are. The schema has checked the syntax, so
the address splits into IPv4 octets or, once `::` is expanded, IPv6 groups;
the message offers the network address, every bit after the prefix cleared.
*/ -}}
{{- define "ingress-nginx.validate.sourceRanges" -}}
{{- $path := .path -}}
{{- $digits := dict -}}
{{- range $value, $digit := splitList "" "0123456789abcdef" }}
{{- $_ := set $digits $digit $value }}
{{- end }}
{{- range $index, $range := .values.loadBalancerSourceRanges | default list }}
{{- $text := lower (toString $range) }}
{{- if regexMatch "^([0-9.]+|[0-9a-f:]+)/[0-9]+$" $text }}
{{- $address := first (splitList "/" $text) }}
{{- $prefix := atoi (last (splitList "/" $text)) }}
{{- include "ingress-nginx.validate.ipv4Mapped" (dict "path" (printf "%s.loadBalancerSourceRanges[%d]" $path $index) "address" $address) }}
{{- $ipv4 := contains "." $address }}
{{- $groups := list }}
{{- if $ipv4 }}
{{- range $octet := splitList "." $address }}
{{- $groups = append $groups (atoi $octet) }}
{{- end }}
{{- else }}
{{- $halves := splitList "::" $address }}
{{- $head := compact (splitList ":" (first $halves)) }}
{{- $tail := ternary (compact (splitList ":" (last $halves))) list (eq (len $halves) 2) }}
{{- $hextets := $head }}
{{- range until (int (sub 8 (add (len $head) (len $tail)))) }}
{{- $hextets = append $hextets "0" }}
{{- end }}
{{- $hextets = concat $hextets $tail }}
{{- range $hextet := $hextets }}
{{- $value := 0 }}
{{- range $digit := splitList "" $hextet }}
{{- $value = add (mul $value 16) (index $digits $digit) }}
{{- end }}
{{- $groups = append $groups $value }}
{{- end }}
{{- end }}
{{- $width := ternary 8 16 $ipv4 }}
{{- $network := list }}
{{- $hostBits := false }}
{{- range $position, $group := $groups }}
{{- $free := sub $width (min $width (max 0 (sub $prefix (mul $position $width)))) }}
{{- $block := 1 }}
{{- range until (int $free) }}
{{- $block = mul $block 2 }}
{{- end }}
{{- $hostBits = or $hostBits (ne (mod $group $block) 0) }}
{{- $network = append $network (sub $group (mod $group $block)) }}
{{- end }}
{{- if $hostBits }}
{{- $written := ternary (join "." $network) "" $ipv4 }}
{{- if not $ipv4 }}
{{- range $position, $group := $network }}
{{- $written = printf "%s%s%x" $written (ternary "" ":" (eq $position 0)) $group }}
{{- end }}
{{- end }}
{{- fail (printf "%s.loadBalancerSourceRanges[%d]: %s has bits set after its /%d prefix, which Kubernetes refuses. Write the range by its network address, %s/%d." $path $index (toString $range) $prefix $written $prefix) }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
