// SPDX-License-Identifier: MIT
// A minimal tokenizer over valid JSON: it tracks the path of every value and the keys of every
// open object, nothing else.
#include "core/scenario/json_duplicate_keys.h"

#include <QHash>

namespace collapipe {

namespace {

struct Frame
{
    bool object = false;
    QString path;
    QHash<QString, int> keyLines; ///< object: key -> line of its first use
    QString key;                  ///< object: the key whose value comes next
    bool expectKey = true;        ///< object: the next string is a key
    qsizetype index = 0;          ///< array: index of the next element
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

QString childPath(const Frame &parent)
{
    if (parent.object) {
        return parent.path.isEmpty() ? parent.key : parent.path + QLatin1Char('.') + parent.key;
    }
    return parent.path + QStringLiteral("[%1]").arg(parent.index);
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
            frame.path = stack.empty() ? QString() : childPath(stack.back());
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
            const QString text = readString(json, &i);
            line += int(json.mid(start, i - start).count('\n')); // only inside invalid JSON
            if (stack.empty() || !stack.back().object || !stack.back().expectKey) {
                break; // a value, not a key
            }
            Frame &top = stack.back();
            top.key = text;
            const auto seen = top.keyLines.constFind(text);
            if (seen != top.keyLines.constEnd()) {
                problems->push_back({childPath(top),
                    QStringLiteral("duplicate key at line %1 (first at line %2); each key may "
                                   "appear once per object")
                        .arg(startLine)
                        .arg(seen.value())});
            } else {
                top.keyLines.insert(text, startLine);
            }
            break;
        }
        default:
            break; // numbers, literals, whitespace
        }
    }
}

} // namespace collapipe
