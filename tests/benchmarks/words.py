"""Word lists the screen generators draw labels from, and the synonyms cases may use.

Kept in one place so that the Qt screens, the web pages and the case builder
agree on what a word means (``trash`` names the *Delete* button, never a
visible label of its own).
"""

from __future__ import annotations

__all__ = [
    "BUTTONS", "DIALOG_BUTTONS", "CHECKBOXES", "RADIO_GROUPS", "FIELDS", "COMBOS",
    "TABS", "MENUS", "TOOLBAR", "FORMAT_BUTTONS", "FILES", "FOLDERS", "SENDERS",
    "SUBJECTS", "PARAGRAPHS", "ZH", "SYNONYMS", "ICON_WORDS", "CALC_KEYS",
]

#: Action buttons found in app bodies, with the QStyle standard icon that fits them.
BUTTONS = [
    ("Save", "SP_DialogSaveButton"), ("Open", "SP_DialogOpenButton"),
    ("Delete", "SP_TrashIcon"), ("Refresh", "SP_BrowserReload"),
    ("Back", "SP_ArrowBack"), ("Forward", "SP_ArrowForward"),
    ("Help", "SP_DialogHelpButton"), ("Settings", "SP_FileDialogDetailedView"),
    ("Search", "SP_FileDialogContentsView"), ("New folder", "SP_FileDialogNewFolder"),
    ("Home", "SP_DirHomeIcon"), ("Stop", "SP_BrowserStop"),
    ("Play", "SP_MediaPlay"), ("Pause", "SP_MediaPause"),
    ("Upload", "SP_ArrowUp"), ("Download", "SP_ArrowDown"),
    ("Print", "SP_FileIcon"), ("Export", "SP_DriveFDIcon"),
    ("Import", "SP_DriveCDIcon"), ("Share", "SP_DriveNetIcon"),
    ("Archive", "SP_DirClosedIcon"), ("Reply", "SP_ArrowLeft"),
    ("Undo", "SP_ArrowLeft"), ("Redo", "SP_ArrowRight"),
    ("Rename", "SP_FileLinkIcon"), ("Properties", "SP_MessageBoxInformation"),
    ("Sign in", "SP_DialogYesButton"), ("Sign out", "SP_DialogNoButton"),
    ("Send", "SP_CommandLink"), ("Close", "SP_DialogCloseButton"),
]

DIALOG_BUTTONS = ["OK", "Cancel", "Apply", "Reset", "Help", "Close", "Discard", "Retry",
                  "Save as", "Don't save", "Continue", "Skip", "Finish", "Next", "Previous"]

CHECKBOXES = [
    "Remember me", "Enable sync", "Show hidden files", "Start at login",
    "Check for updates automatically", "Send anonymous usage statistics",
    "Use dark title bar", "Play sounds", "Show notifications", "Confirm before deleting",
    "Open links in new tab", "Enable spell checking", "Word wrap", "Show line numbers",
    "Keep me signed in", "I agree to the terms", "Subscribe to newsletter",
    "Compress backups", "Encrypt files", "Auto-save every 5 minutes",
    "Show status bar", "Highlight current line", "Mute microphone",
    "Enable hardware acceleration", "Use system proxy", "Block pop-ups",
    "Include subfolders", "Match case", "Whole words only", "Overwrite existing files",
    "Show preview", "Lock toolbars", "Hide empty folders", "Sort by date",
]

#: Radio groups: (question, options).
RADIO_GROUPS = [
    ("Theme", ["Light", "Dark", "System"]),
    ("Quality", ["Low", "Medium", "High"]),
    ("Units", ["Metric", "Imperial"]),
    ("Start page", ["Blank page", "Home page", "Last session"]),
    ("Layout", ["Portrait", "Landscape"]),
    ("Delivery", ["Standard", "Express", "Pickup"]),
    ("Size", ["Small", "Normal", "Large"]),
]

#: Labelled text fields: (label, placeholder).
FIELDS = [
    ("Email", "name@example.com"), ("Name", "Your full name"), ("Password", ""),
    ("Username", "jdoe"), ("Phone", "+1 555 0100"), ("Address", "Street and number"),
    ("City", ""), ("Company", ""), ("Website", "https://"), ("Server", "mail.example.org"),
    ("Port", "993"), ("Folder name", ""), ("Display name", ""), ("Postal code", ""),
]

#: Labelled combo boxes: (label, items).
COMBOS = [
    ("Country", ["United States", "Germany", "France", "Japan", "Brazil"]),
    ("Language", ["English", "Deutsch", "Français", "Español"]),
    ("Font", ["Sans Serif", "Serif", "Monospace"]),
    ("Time zone", ["UTC", "Europe/Berlin", "America/New_York"]),
    ("Paper size", ["A4", "Letter", "Legal"]),
    ("Encoding", ["UTF-8", "Latin-1", "UTF-16"]),
    ("File type", ["PNG image", "JPEG image", "PDF document"]),
    ("Priority", ["Normal", "High", "Low"]),
]

TABS = ["General", "Appearance", "Privacy", "Advanced", "Network", "Accounts", "Files",
        "Shortcuts", "Updates", "Sound", "Display", "Security", "Storage", "Notifications",
        "Editor", "Plugins"]

MENUS = ["File", "Edit", "View", "Insert", "Format", "Tools", "Window", "Help", "Go",
         "Bookmarks", "History", "Project", "Run"]

#: Toolbar actions (text, icon); icon-only variants use the same icons.
TOOLBAR = [
    ("New", "SP_FileIcon"), ("Open", "SP_DialogOpenButton"), ("Save", "SP_DialogSaveButton"),
    ("Delete", "SP_TrashIcon"), ("Refresh", "SP_BrowserReload"), ("Back", "SP_ArrowBack"),
    ("Forward", "SP_ArrowForward"), ("Home", "SP_DirHomeIcon"), ("Stop", "SP_BrowserStop"),
    ("Help", "SP_DialogHelpButton"), ("Play", "SP_MediaPlay"), ("Upload", "SP_ArrowUp"),
    ("Computer", "SP_ComputerIcon"), ("Network", "SP_DriveNetIcon"),
]

FORMAT_BUTTONS = ["Bold", "Italic", "Underline", "Strikethrough", "Align left", "Center",
                  "Align right", "Bullets", "Numbering", "Indent", "Outdent", "Link"]

FILES = [
    ("report.pdf", "214 KB"), ("budget-2024.xlsx", "48 KB"), ("notes.txt", "2 KB"),
    ("holiday.jpg", "3.1 MB"), ("presentation.odp", "1.2 MB"), ("invoice_0457.pdf", "88 KB"),
    ("backup.tar.gz", "512 MB"), ("README.md", "6 KB"), ("setup.exe", "24 MB"),
    ("song.mp3", "4.4 MB"), ("draft letter.docx", "19 KB"), ("photo_0012.png", "2.2 MB"),
    ("contacts.csv", "12 KB"), ("thesis.tex", "140 KB"), ("diagram.svg", "33 KB"),
]

FOLDERS = ["Home", "Desktop", "Documents", "Downloads", "Music", "Pictures", "Videos",
           "Projects", "Shared"]

SENDERS = ["Alice Martin", "Bob Chen", "Carla Diaz", "David Okafor", "Eva Novak",
           "Farid Haddad", "Grace Kim", "Hugo Laurent"]

SUBJECTS = ["Quarterly report draft", "Lunch on Friday?", "Invoice #4471", "Team offsite plan",
            "Your order has shipped", "Meeting notes", "Password reset request",
            "Welcome aboard", "Budget review", "Photos from the trip"]

PARAGRAPHS = [
    "The quarterly figures show steady growth in every region, with the strongest "
    "results in the northern markets.",
    "Please review the attached document and send your comments before the meeting "
    "on Thursday afternoon.",
    "Remember to back up your work regularly; the server will be offline for "
    "maintenance this weekend.",
    "Our new onboarding guide explains how to request equipment, access shared "
    "drives and book meeting rooms.",
]

#: Chinese labels for the Chinese-language dialogs.
ZH = {
    "buttons": ["保存", "取消", "打开", "确定", "应用", "帮助", "删除", "关闭", "重置", "下一步"],
    "checkboxes": ["自动更新", "显示通知", "记住密码", "开机启动", "显示隐藏文件", "启用同步",
                   "播放声音", "自动保存", "同意用户协议", "发送使用统计"],
    "tabs": ["常规", "外观", "隐私", "高级", "网络", "账户"],
    "fields": ["用户名", "密码", "邮箱", "电话", "地址"],
    "combos": [("语言", ["简体中文", "English"]), ("国家", ["中国", "日本", "美国"])],
    "radios": [("主题", ["浅色", "深色", "跟随系统"])],
    "titles": ["设置", "保存文件", "打开文件", "用户登录", "首选项"],
    "menus": ["文件", "编辑", "视图", "工具", "帮助"],
}

#: How people name a control other than by its label: label -> words that mean it.
#: A synonym case is only made when none of these words is visible on the screen.
SYNONYMS = {
    "Delete": ["trash", "bin", "remove"],
    "Settings": ["preferences", "options", "configuration"],
    "Refresh": ["reload"],
    "Search": ["find"],
    "Back": ["go back", "previous page"],
    "Sign in": ["log in", "login"],
    "Sign out": ["log out", "logout"],
    "Close": ["exit"],
    "Undo": ["revert"],
    "New folder": ["create folder"],
    "Properties": ["details"],
}

#: What people call a standard icon that has no text.
ICON_WORDS = {
    "SP_TrashIcon": "trash", "SP_BrowserReload": "reload", "SP_DialogSaveButton": "save",
    "SP_DialogOpenButton": "open", "SP_ArrowBack": "back", "SP_ArrowForward": "forward",
    "SP_DirHomeIcon": "home", "SP_BrowserStop": "stop", "SP_DialogHelpButton": "help",
    "SP_MediaPlay": "play", "SP_ArrowUp": "up", "SP_FileIcon": "new file",
    "SP_ComputerIcon": "computer", "SP_DriveNetIcon": "network",
    "SP_TitleBarCloseButton": "close", "SP_TitleBarMinButton": "minimize",
    "SP_TitleBarMaxButton": "maximize",
}

#: Calculator keys (shown text, spoken names).
CALC_KEYS = {
    "7": ["seven"], "8": ["eight"], "9": ["nine"], "4": ["four"], "5": ["five"], "6": ["six"],
    "1": ["one"], "2": ["two"], "3": ["three"], "0": ["zero"], ".": ["decimal point"],
    "+": ["plus"], "−": ["minus"], "×": ["times", "multiply"], "÷": ["divide"],
    "=": ["equals"], "√": ["square root"], "%": ["percent"], "C": ["clear"],
    "±": ["plus minus"], "⌫": ["backspace"], "x²": ["square"], "1/x": ["reciprocal"],
}
