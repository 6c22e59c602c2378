package main

import "fmt"

// text is a sentence in each locale a verdict carries.
type text struct{ en, zh string }

// reason is a hit's Reason map.
func (t text) reason() map[string]string { return map[string]string{"en": t.en, "zh-CN": t.zh} }

// windowText says a window the way the tenant wrote it: "24 hours" / "24小时".
func windowText(w window) text {
	u := map[string]text{"s": {"second", "秒"}, "m": {"minute", "分钟"}, "h": {"hour", "小时"}, "d": {"day", "天"}}[w.unit]
	return count(w.n, u.en, u.zh)
}

func count(n int64, en, zh string) text {
	if n != 1 {
		en += "s"
	}
	return text{fmt.Sprintf("%d %s", n, en), fmt.Sprintf("%d%s", n, zh)}
}

// relationText names an emergency contact's relation with the labels of the lending
// form; a relation the form does not know is shown as given.
func relationText(r string) text {
	if t, ok := relations[r]; ok {
		return t
	}
	return text{r, r}
}

var relations = map[string]text{
	"spouse":    {"spouse", "配偶"},
	"parent":    {"parent", "父母"},
	"child":     {"child", "子女"},
	"sibling":   {"sibling", "兄弟姐妹"},
	"relative":  {"relative", "其他亲属"},
	"colleague": {"colleague", "同事"},
	"friend":    {"friend", "朋友"},
}

func genderText(g string) text {
	switch g {
	case "male":
		return text{"male", "男"}
	case "female":
		return text{"female", "女"}
	}
	return text{g, g}
}
