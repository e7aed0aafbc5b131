// SPDX-License-Identifier: MIT
// A minimal tokenizer over valid JSON: it tracks the path of every value and the keys of every
// open object, nothing else.
#include "core/scenario/json_duplicate_keys.h"

#include <QHash>

#include <algorithm>
#include <utility>
#include <vector>

namespace collapipe {

namespace {

/// An open object or array. Its path is not stored: it is rebuilt from the stack when a
/// duplicate is reported (issue [7/7]: a path string per object and array was most of the cost of
/// checking a 100,000-device file).
struct Frame
{
    bool object = false;
    /// object: key -> line of its first use; a short list (scenario objects have few keys),
    /// a hash once it grows.
    std::vector<std::pair<QString, int>> keyLines;
    QHash<QString, int> keyHash;
    QString key;           ///< object: the key whose value comes next
    bool expectKey = true; ///< object: the next string is a key
    qsizetype index = 0;   ///< array: index of the next element

    static constexpr std::size_t kListKeys = 32;

    /// The line `key` was first seen on, or 0; records `line` for a new key.
    int firstUse(const QString &name, int line)
    {
        if (!keyHash.isEmpty()) {
            const auto it = keyHash.constFind(name);
            if (it != keyHash.constEnd()) {
                return it.value();
            }
            keyHash.insert(name, line);
            return 0;
        }
        for (const auto &[seen, at] : keyLines) {
            if (seen == name) {
                return at;
            }
        }
        keyLines.emplace_back(name, line);
        if (keyLines.size() > kListKeys) {
            for (const auto &[seen, at] : keyLines) {
                keyHash.insert(seen, at);
            }
            keyLines.clear();
        }
        return 0;
    }
};

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return 0;
}

/// Moves *i from the opening quote of a string to its closing quote (a value: not decoded).
void skipString(const QByteArray &json, qsizetype *i)
{
    const char *data = json.constData();
    for (qsizetype p = *i + 1; p < json.size(); ++p) {
        if (data[p] == '\\') {
            ++p;
        } else if (data[p] == '"') {
            *i = p;
            return;
        }
    }
    *i = json.size();
}

/// Decodes the string starting after the opening quote at json[*i]; leaves *i on the closing
/// quote. Escapes are decoded as QJsonDocument does, so "a" and "\u0061" are the same key.
QString readString(const QByteArray &json, qsizetype *i)
{
    QByteArray utf8;
    QString out;
    for (qsizetype p = *i + 1; p < json.size(); ++p) {
        const char c = json[p];
        if (c == '"') {
            *i = p;
            return out + QString::fromUtf8(utf8);
        }
        if (c != '\\' || p + 1 >= json.size()) {
            utf8 += c;
            continue;
        }
        const char e = json[++p];
        if (e != 'u') {
            const char plain = e == 'n' ? '\n'
                : e == 't'              ? '\t'
                : e == 'r'              ? '\r'
                : e == 'b'              ? '\b'
                : e == 'f'              ? '\f'
                                        : e; // '"', '\\', '/'
            utf8 += plain;
            continue;
        }
        char16_t unit = 0;
        for (int k = 0; k < 4 && p + 1 < json.size(); ++k) {
            unit = char16_t(unit * 16 + hexValue(json[++p]));
        }
        out += QString::fromUtf8(utf8);
        utf8.clear();
        out += QChar(unit);
    }
    *i = json.size();
    return out + QString::fromUtf8(utf8);
}

/// The path of the value `parent` is at, `parentPath` being the parent's own path.
QString childPath(const QString &parentPath, const Frame &parent)
{
    if (parent.object) {
        return parentPath.isEmpty() ? parent.key : parentPath + QLatin1Char('.') + parent.key;
    }
    return parentPath + QStringLiteral("[%1]").arg(parent.index);
}

/// The path of the value the innermost open frame is at (each frame's key and index still
/// name the position of the frame above it).
QString currentPath(const std::vector<Frame> &stack)
{
    QString path;
    for (const Frame &frame : stack) {
        path = childPath(path, frame);
    }
    return path;
}

} // namespace

void findDuplicateJsonKeys(const QByteArray &json, std::vector<ScenarioProblem> *problems)
{
    std::vector<Frame> stack;
    int line = 1;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        switch (c) {
        case '\n':
            ++line;
            break;
        case '{':
        case '[': {
            Frame frame;
            frame.object = c == '{';
            stack.push_back(std::move(frame));
            break;
        }
        case '}':
        case ']':
            if (!stack.empty()) {
                stack.pop_back();
            }
            break;
        case ',':
            if (!stack.empty()) {
                Frame &top = stack.back();
                top.expectKey = true;
                ++top.index;
            }
            break;
        case ':':
            if (!stack.empty()) {
                stack.back().expectKey = false;
            }
            break;
        case '"': {
            const int startLine = line;
            const qsizetype start = i;
            const bool key = !stack.empty() && stack.back().object && stack.back().expectKey;
            QString text;
            if (key) {
                text = readString(json, &i);
            } else {
                skipString(json, &i); // a value, not a key
            }
            line += int(std::count(json.constData() + start, json.constData() + i, '\n'));
            if (!key) {
                break;
            }
            Frame &top = stack.back();
            top.key = text;
            if (const int first = top.firstUse(text, startLine); first > 0) {
                problems->push_back({currentPath(stack),
                    QStringLiteral("duplicate key at line %1 (first at line %2); each key may "
                                   "appear once per object")
                        .arg(startLine)
                        .arg(first)});
            }
            break;
        }
        default:
            break; // numbers, literals, whitespace
        }
    }
}

} // namespace collapipe
