"""Words the instruction parser and the matcher share: actions, roles, numbers, symbols.

Kept as plain data so both languages' parsers and the text matcher agree on
what "checkbox", "second" or "×" mean.
"""

from __future__ import annotations

__all__ = [
    "ACTION_PHRASES",
    "CHECK_VERBS",
    "GOAL_VERBS",
    "STATE_WORDS",
    "ROLE_WORDS",
    "ROLE_FAMILIES",
    "ROLE_PLURALS",
    "SOFT_ROLE_WORDS",
    "ZH_CHECK_VERBS",
    "ZH_GOAL_VERBS",
    "CONTAINER_WORDS",
    "ORDINAL_WORDS",
    "CARDINAL_WORDS",
    "SYMBOL_NAMES",
    "EQUIVALENT_WORDS",
    "ZH_ACTIONS",
    "ZH_ROLES",
    "ZH_ALL",
    "ZH_NUMERALS",
    "ZH_RELATIONS",
    "ZH_UI_WORDS",
]

#: Leading verb phrases and the click action each means, longest first when matched.
ACTION_PHRASES: dict[str, str] = {
    "double click": "double_click", "double-click": "double_click", "doubleclick": "double_click",
    "double tap": "double_click", "double-tap": "double_click",
    "right click": "right_click", "right-click": "right_click", "rightclick": "right_click",
    "context click": "right_click", "secondary click": "right_click",
    "left click": "click", "left-click": "click", "single click": "click",
    "click": "click", "press": "click", "tap": "click", "hit": "click", "push": "click",
    "select": "click", "choose": "click", "pick": "click", "open": "click",
    "tick": "click", "untick": "click", "check": "click", "uncheck": "click",
    "toggle": "click", "activate": "click", "go to": "click", "switch to": "click",
    "enable": "click", "disable": "click", "turn on": "click", "turn off": "click",
    "focus": "click", "launch": "click", "follow": "click", "expand": "click",
    "collapse": "click", "close": "click",
}

#: Verbs that suggest a checkable control even when no role word is given.
CHECK_VERBS = frozenset({"tick", "untick", "check", "uncheck", "toggle", "enable", "disable",
                         "turn on", "turn off"})

#: Verbs that say which state a check box or switch should end in ("toggle" says none).
GOAL_VERBS: dict[str, str] = {"tick": "checked", "check": "checked", "enable": "checked", "turn on": "checked",
                              "untick": "unchecked", "uncheck": "unchecked", "disable": "unchecked",
                              "turn off": "unchecked"}

#: Words that pick check boxes by their state: "every ticked box", "all the empty checkboxes".
STATE_WORDS: dict[str, str] = {"checked": "checked", "ticked": "checked", "unchecked": "unchecked",
                               "unticked": "unchecked", "empty": "unchecked", "blank": "unchecked",
                               "not checked": "unchecked", "not ticked": "unchecked"}

#: Role words (singular, as said) → candidate role. Multi-word entries first.
ROLE_WORDS: dict[str, str] = {
    "radio button": "radio", "radio box": "radio", "option button": "radio",
    "check box": "checkbox", "tick box": "checkbox", "checkbox": "checkbox", "tickbox": "checkbox",
    "toggle switch": "switch", "switch": "switch", "toggle": "switch",
    "drop down menu": "dropdown", "drop-down menu": "dropdown", "dropdown menu": "dropdown",
    "drop-down list": "dropdown", "drop down list": "dropdown", "dropdown list": "dropdown",
    "list box": "dropdown", "listbox": "dropdown", "popup menu": "dropdown", "pop-up menu": "dropdown",
    "drop down": "dropdown", "drop-down": "dropdown", "dropdown": "dropdown",
    "combo box": "dropdown", "combobox": "dropdown", "select box": "dropdown", "picker": "dropdown",
    "menu item": "menuitem", "menu entry": "menuitem", "menu": "menu",
    "text field": "field", "text box": "field", "textbox": "field", "input field": "field",
    "input box": "field", "search box": "field", "search field": "field", "edit box": "field",
    "search bar": "field", "address bar": "field", "location bar": "field", "url bar": "field",
    "path bar": "field",
    "field": "field", "input": "field",
    "spin box": "field", "spinbox": "field", "spin button": "field", "number field": "field",
    "tab": "tab", "link": "link", "hyperlink": "link",
    "icon": "icon", "symbol": "icon", "logo": "icon",
    "button": "button", "btn": "button", "key": "button",
    "radio": "radio",
    "slider": "slider", "image": "image", "picture": "image", "photo": "image",
    "item": "listitem", "row": "listitem",
}

#: Words that hint at a kind of control without demanding it ("the Dark option").
SOFT_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "option": ("radio", "checkbox", "menuitem", "listitem"),
    "choice": ("radio", "checkbox", "menuitem", "listitem"),
    "box": ("checkbox", "field"),
    "setting": ("checkbox", "switch", "radio"),
    # "the Music folder", "the budget file": a file manager's or desktop's icon, named by its label.
    "folder": ("icon", "listitem", "button"), "directory": ("icon", "listitem", "button"),
    "file": ("icon", "listitem", "button"),
}

#: Roles that a role word also admits, most likely first: a person saying
#: "button" often means a tab, menu or link that looks like one.
ROLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "button": ("button", "tab", "menu", "menuitem", "link", "icon"),
    "radio": ("radio", "checkbox"), "checkbox": ("checkbox", "switch", "radio"),
    "switch": ("switch", "checkbox"), "menu": ("menu", "menuitem", "button"),
    "menuitem": ("menuitem", "menu"), "icon": ("icon", "button", "image"),
    "image": ("image", "icon"), "field": ("field", "dropdown"),
    "dropdown": ("dropdown", "field"), "tab": ("tab", "button"), "link": ("link", "button"),
}

#: Plural forms → singular role word.
ROLE_PLURALS: dict[str, str] = {
    "radio buttons": "radio button", "check boxes": "check box", "checkboxes": "checkbox",
    "tick boxes": "tick box", "tickboxes": "tickbox", "switches": "switch", "toggles": "toggle",
    "dropdowns": "dropdown", "drop-down lists": "drop-down list", "dropdown lists": "dropdown list", "drop downs": "drop down", "drop-downs": "drop-down",
    "combo boxes": "combo box", "comboboxes": "combobox", "menu items": "menu item",
    "menus": "menu", "text fields": "text field", "text boxes": "text box", "textboxes": "textbox",
    "input fields": "input field", "fields": "field", "inputs": "input", "tabs": "tab",
    "spin boxes": "spin box", "spinboxes": "spinbox", "spin buttons": "spin button",
    "links": "link", "hyperlinks": "hyperlink", "icons": "icon", "buttons": "button",
    "keys": "key", "radios": "radio", "sliders": "slider", "images": "image",
    "pictures": "picture", "photos": "photo", "items": "item", "rows": "row",
}

#: Words naming a container for "inside" relations ("Save in the Export dialog").
CONTAINER_WORDS = ("dialog", "dialogue", "window", "panel", "pane", "section", "group", "box",
                   "toolbar", "sidebar", "popup", "pop-up", "form", "area", "tab", "page", "frame")

ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9,
    "10th": 10, "last": -1, "final": -1, "penultimate": -2,
}

CARDINAL_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "both": 2, "a couple of": 2, "couple of": 2,
}

#: Spoken names of symbols that appear alone on keys and buttons.
SYMBOL_NAMES: dict[str, tuple[str, ...]] = {
    "×": ("times", "multiply", "multiplied by", "multiplication", "x", "*"),
    "÷": ("divide", "divided by", "division", "/"),
    # Calculators drawn with keyboard characters (galculator, many web calculators).
    "*": ("times", "multiply", "multiplied by", "multiplication", "asterisk", "star"),
    "/": ("divide", "divided by", "division", "slash"),
    "^": ("power", "to the power of", "exponent", "caret"),
    "+/-": ("plus minus", "plus or minus", "negate", "sign", "change sign"),
    "<-": ("backspace", "back", "delete", "erase", "left arrow"),
    "->": ("forward", "right arrow", "next"),
    "+": ("plus", "add", "addition"),
    "−": ("minus", "subtract", "subtraction", "-"),
    "-": ("minus", "subtract", "dash", "hyphen"),
    "=": ("equals", "equal", "equal sign", "equals sign", "result"),
    "√": ("square root", "root", "sqrt"),
    "%": ("percent", "percentage", "per cent"),
    ".": ("dot", "point", "decimal point", "period", "decimal"),
    ",": ("comma",),
    "±": ("plus minus", "plus or minus", "negate", "sign"),
    "x²": ("squared", "square", "x squared"),
    "1/x": ("reciprocal", "one over x", "inverse"),
    "←": ("back", "backspace", "left arrow"),
    "⌫": ("backspace", "delete", "erase"),
    "→": ("forward", "right arrow", "next"),
    "✕": ("close", "x", "dismiss"),
    "✖": ("close", "x", "dismiss"),
    "?": ("help", "question mark"),
    "…": ("more", "ellipsis", "more options"),
    "⋮": ("more", "menu", "more options", "kebab"),
    "☰": ("menu", "hamburger", "main menu"),
    "<": ("back", "previous", "less than"),
    ">": ("forward", "next", "greater than"),
    "#": ("hash", "number sign", "pound"),
    "@": ("at", "at sign"),
    "&": ("and", "ampersand"),
    "(": ("open parenthesis", "left paren"),
    ")": ("close parenthesis", "right paren"),
    "C": ("clear",),
    "CE": ("clear entry",),
    "AC": ("all clear", "clear all"),
}

#: Words a person may say for what the screen spells differently (both directions apply).
EQUIVALENT_WORDS: tuple[frozenset[str], ...] = tuple(frozenset(g) for g in (
    {"ok", "okay", "o.k.", "okey"},
    {"cancel", "cancelled"},
    {"settings", "setting"},
    {"preferences", "prefs", "preference"},
    {"options", "option"},
    {"colour", "color"}, {"colours", "colors"}, {"grey", "gray"},
    {"centre", "center"}, {"favourite", "favorite"}, {"favourites", "favorites"},
    {"organise", "organize"}, {"customise", "customize"}, {"licence", "license"},
    {"log in", "login", "log-in", "sign in", "signin", "sign-in"},
    {"log out", "logout", "log-out", "sign out", "signout", "sign-out"},
    {"sign up", "signup", "sign-up", "register"},
    {"set up", "setup", "set-up"},
    {"e-mail", "email", "e mail"},
    {"wi-fi", "wifi", "wi fi"},
    {"and", "&"},
    {"zero", "0"}, {"one", "1"}, {"two", "2"}, {"three", "3"}, {"four", "4"}, {"five", "5"},
    {"six", "6"}, {"seven", "7"}, {"eight", "8"}, {"nine", "9"}, {"ten", "10"},
    {"eleven", "11"}, {"twelve", "12"}, {"twenty", "20"}, {"hundred", "100"},
    {"first", "1st"}, {"second", "2nd"}, {"third", "3rd"},
    {"no", "nope"}, {"yes", "yeah", "yep"},
    {"back", "previous", "prev"}, {"next", "forward"},
    # "Bin" is British for the trash and Windows' "Recycle Bin"; MiniLM puts "bin" nearer "binary".
    {"trash", "bin", "recycle bin", "rubbish bin", "wastebasket", "waste basket", "trash can", "wastebin"},
))

# --- Chinese -----------------------------------------------------------------

#: Leading verbs (longest first when matched) → action.
ZH_ACTIONS: dict[str, str] = {
    "鼠标右键单击": "right_click", "右键单击": "right_click", "右键点击": "right_click",
    "右键点": "right_click", "右击": "right_click", "右键": "right_click",
    "双击": "double_click", "双点": "double_click",
    "单击": "click", "点击": "click", "点按": "click", "点一下": "click", "点": "click",
    "按下": "click", "按": "click", "选择": "click", "选中": "click", "勾选": "click",
    "取消勾选": "click", "打开": "click", "启用": "click", "禁用": "click", "切换到": "click",
    "进入": "click", "轻触": "click", "轻点": "click",
}

ZH_CHECK_VERBS = frozenset({"勾选", "取消勾选", "选中", "启用", "禁用"})
#: As :data:`GOAL_VERBS`: the state a check box or switch should end in.
ZH_GOAL_VERBS: dict[str, str] = {"勾选": "checked", "选中": "checked", "启用": "checked",
                                 "取消勾选": "unchecked", "禁用": "unchecked"}

ZH_ROLES: dict[str, str] = {
    "单选按钮": "radio", "单选框": "radio", "单选项": "radio", "复选框": "checkbox",
    "勾选框": "checkbox", "选择框": "checkbox", "开关": "switch", "下拉菜单": "dropdown",
    "下拉列表": "dropdown", "下拉框": "dropdown", "组合框": "dropdown", "选项卡": "tab",
    "标签页": "tab", "标签": "tab", "菜单项": "menuitem", "菜单": "menu", "输入框": "field", "文本框": "field",
    "编辑框": "field", "搜索框": "field", "链接": "link", "超链接": "link", "图标": "icon",
    "按钮": "button", "按键": "button", "键": "button", "图片": "image", "滑块": "slider",
}

ZH_ALL = ("所有的", "全部的", "所有", "全部", "每一个", "每个", "各个")

ZH_NUMERALS: dict[str, int] = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "10": 10,
}

#: Suffix phrases after an anchor ("记住我左边的复选框") → relation kind.
ZH_RELATIONS: dict[str, str] = {
    "左边的": "left_of", "左侧的": "left_of", "左边": "left_of", "左侧": "left_of",
    "右边的": "right_of", "右侧的": "right_of", "右边": "right_of", "右侧": "right_of",
    "上面的": "above", "上方的": "above", "上面": "above", "上方": "above",
    "下面的": "below", "下方的": "below", "下面": "below", "下方": "below",
    "旁边的": "near", "附近的": "near", "旁边": "near", "里的": "inside", "中的": "inside",
    "里面的": "inside", "内的": "inside",
}

#: Chinese words for common controls → how English interfaces label them, for a Chinese instruction
#: on an English screen ("点击保存" → Save). Used only when the Chinese words match nothing.
ZH_UI_WORDS: dict[str, tuple[str, ...]] = {
    "保存": ("save",), "另存为": ("save as",), "取消": ("cancel",), "确定": ("ok",), "确认": ("confirm", "ok"),
    "好": ("ok",), "应用": ("apply",), "关闭": ("close",), "打开": ("open",), "新建": ("new",),
    "删除": ("delete", "remove"), "移除": ("remove",), "添加": ("add",), "编辑": ("edit",), "文件": ("file",),
    "视图": ("view",), "查看": ("view",), "帮助": ("help",), "工具": ("tools",), "窗口": ("window",),
    "设置": ("settings", "preferences"), "选项": ("options",), "首选项": ("preferences",),
    "偏好设置": ("preferences",), "搜索": ("search",), "查找": ("find", "search"), "替换": ("replace",),
    "复制": ("copy",), "粘贴": ("paste",), "剪切": ("cut",), "撤销": ("undo",), "重做": ("redo",),
    "刷新": ("refresh", "reload"), "返回": ("back",), "后退": ("back",), "前进": ("forward",),
    "下一步": ("next",), "上一步": ("back", "previous"), "完成": ("finish", "done"), "跳过": ("skip",),
    "继续": ("continue",), "浏览": ("browse",), "导入": ("import",), "导出": ("export",), "打印": ("print",),
    "发送": ("send",), "回复": ("reply",), "全部回复": ("reply all",), "转发": ("forward",),
    "登录": ("sign in", "log in"), "注销": ("sign out", "log out"), "退出登录": ("sign out", "log out"),
    "退出": ("quit", "exit"), "注册": ("sign up", "register"), "提交": ("submit",), "重置": ("reset",),
    "恢复默认": ("reset to defaults", "restore defaults"), "清除": ("clear",), "清空": ("clear",),
    "上传": ("upload",), "下载": ("download", "downloads"), "分享": ("share",), "共享": ("share",),
    "主页": ("home",), "首页": ("home",), "常规": ("general",), "通用": ("general",), "外观": ("appearance",),
    "隐私": ("privacy",), "网络": ("network",), "高级": ("advanced",), "账户": ("account",), "帐户": ("account",),
    "安全": ("security",), "通知": ("notifications",), "语言": ("language",), "国家": ("country",),
    "主题": ("theme",), "深色": ("dark",), "暗色": ("dark",), "浅色": ("light",), "亮色": ("light",),
    "系统": ("system",), "是": ("yes",), "否": ("no",), "关于": ("about",), "更多": ("more",),
    "全选": ("select all",), "粗体": ("bold",), "加粗": ("bold",), "斜体": ("italic",),
    "下划线": ("underline",), "左对齐": ("align left",), "右对齐": ("align right",), "居中": ("center",),
    "放大": ("zoom in",), "缩小": ("zoom out",), "最小化": ("minimize",), "最大化": ("maximize",),
    "还原": ("restore",), "播放": ("play",), "暂停": ("pause",), "停止": ("stop",), "静音": ("mute",),
    "音量": ("volume",), "名称": ("name",), "名字": ("name",), "姓名": ("name",), "电子邮件": ("email",),
    "邮箱": ("email",), "密码": ("password",), "用户名": ("username",), "电话": ("phone",), "地址": ("address",),
    "记住我": ("remember me",), "开始": ("start",), "启动": ("start", "launch"), "发布": ("publish",),
    "收件箱": ("inbox",), "草稿": ("drafts",), "已发送": ("sent",), "垃圾箱": ("trash",), "回收站": ("trash",),
    "归档": ("archive",), "筛选": ("filter",), "过滤": ("filter",), "排序": ("sort",), "日期": ("date",),
    "大小": ("size",), "类型": ("type",), "详细信息": ("details",), "详情": ("details",),
    "属性": ("properties",), "重命名": ("rename",), "移动": ("move",), "文件夹": ("folder",),
    "文档": ("documents",), "图片": ("pictures",), "音乐": ("music",), "视频": ("videos",), "桌面": ("desktop",),
    "同步": ("sync",), "更新": ("update", "updates"), "检查更新": ("check for updates",),
    "个人资料": ("profile",), "联系人": ("contacts",), "日历": ("calendar",), "格式": ("format",),
    "插入": ("insert",), "表格": ("table",), "字体": ("font",), "颜色": ("color",), "缓存": ("cache",),
    "清除缓存": ("clear cache",), "添加设备": ("add device",), "设备": ("devices",),
}
