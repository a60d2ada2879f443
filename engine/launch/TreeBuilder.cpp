#include "launch/TreeBuilder.h"

#include "launch/YamlWriter.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <locale.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace playdeck::extravars {

QJsonValue Scalar::json() const {
    switch (type) {
    case ScalarType::Bool:
        return boolean;
    case ScalarType::Int:
        return integer;
    case ScalarType::Float:
        return number;
    case ScalarType::String:
        return text;
    case ScalarType::Null:
    case ScalarType::Merge:
    case ScalarType::Value:
        break;
    }
    return QJsonValue::Null;
}

double decimalToDouble(const std::string &ascii) {
    // strtod follows LC_NUMERIC, which QCoreApplication sets from the environment; Python's float()
    // does not. glibc's strtod rounds correctly, as Python's does.
    static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
    return strtod_l(ascii.c_str(), nullptr, cLocale);
}

QString markText(Mark mark) {
    return QObject::tr("line %1, column %2").arg(mark.line).arg(mark.column);
}

QString shortened(QStringView text) {
    qsizetype length = std::min<qsizetype>(text.size(), 40);
    if (length < text.size() && text[length - 1].isHighSurrogate())
        --length; // not half a pair
    QString shown = text.left(length).toString() + (length < text.size() ? QStringLiteral("…") : QString());
    for (QChar &c : shown) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char('?');
    }
    return shown;
}

static QString at(Mark mark) {
    return markText(mark);
}

QString nestingMessage(int maxDepth, Mark mark) {
    return QObject::tr("Extra variables are nested more than %1 levels deep at %2.")
        .arg(maxDepth)
        .arg(at(mark));
}

QString integerRangeMessage(QStringView literal, const QString &where, Mark mark) {
    return QObject::tr(
               "Extra variables cannot be stored: the integer %1 at %2 (%3) is outside the 64-bit range.")
        .arg(shortened(literal), where, at(mark));
}

QString notFiniteMessage(QStringView literal, const QString &where, Mark mark) {
    return QObject::tr(
               "Extra variables cannot be stored: %1 at %2 (%3) is infinite or not a number, which JSON "
               "cannot hold.")
        .arg(shortened(literal), where, at(mark));
}

namespace {

QString cannotRead(const QString &why) {
    return QObject::tr("Extra variables cannot be read: %1").arg(why);
}

// A key as Python compares it: 'z' None; 'n' a number equal to an integer (bool, int, whole float:
// 1 == 1.0 == True); 'f' any other float, by its repr (one per value); 's' a string.
struct PyKey {
    char type = 's';
    QString text;
    friend bool operator==(const PyKey &, const PyKey &) = default;
    friend bool operator<(const PyKey &a, const PyKey &b) {
        return a.type != b.type ? a.type < b.type : a.text < b.text;
    }
};

struct Entry {
    PyKey key;
    QString display; // the key as Python's json.dumps writes it, which is what AWX stores
    QJsonValue value;
};
using Dict = std::vector<Entry>; // Python's insertion order, every key once
using DictPtr = std::shared_ptr<const Dict>;
using DictList = std::vector<DictPtr>;

enum class Kind { Scalar, Sequence, Mapping };

struct Node {
    Kind kind = Kind::Scalar;
    Scalar scalar;
    QJsonValue json;
    DictPtr dict;                          // a mapping's entries with their Python keys, for merging
    std::shared_ptr<const DictList> items; // a sequence's items as mappings (null: not one), for merging
    qint64 nodes = 1;                      // in this subtree, aliases expanded
    qint64 bytes = 0;                      // of text in this subtree, aliases expanded
    Mark mark;
};

struct Frame {
    Kind kind = Kind::Sequence;
    QString anchor;
    Mark mark;
    qint64 nodes = 1;
    qint64 bytes = 0;
    // Sequence.
    QJsonArray array;
    bool mergeSource = false; // the value of a << key: every item must be a mapping
    bool keepItems = false;
    DictList items;
    // Mapping.
    std::vector<Entry> pairs;
    DictList merges; // in the order PyYAML applies them, before `pairs`
    bool haveKey = false;
    bool keyIsMerge = false;
    PyKey key;
    QString keyDisplay;
};

struct Anchor {
    Mark mark;
    bool open = true;
    Node node;
};

// Pairs in document order to a Python dict: a key keeps its first place and first spelling, the last
// value wins.
Dict toDict(std::vector<Entry> &&pairs) {
    if (pairs.size() < 2)
        return std::move(pairs);
    std::vector<size_t> order(pairs.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return pairs[a].key < pairs[b].key; });
    std::vector<size_t> kept;
    kept.reserve(order.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i + 1;
        while (j < order.size() && pairs[order[j]].key == pairs[order[i]].key)
            ++j;
        if (j - i > 1)
            pairs[order[i]].value = pairs[order[j - 1]].value;
        kept.push_back(order[i]);
        i = j;
    }
    std::sort(kept.begin(), kept.end());
    Dict dict;
    dict.reserve(kept.size());
    for (size_t i : kept)
        dict.push_back(std::move(pairs[i]));
    return dict;
}

// The JSON object AWX would store: distinct Python keys can share a JSON spelling (1 and "1"); then
// the later one wins, as json.loads keeps the last duplicate. Keys go in in QJsonObject's own (UTF-16)
// order so every insert appends.
QJsonObject toJsonObject(const Dict &dict) {
    std::vector<size_t> order(dict.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return dict[a].display < dict[b].display; });
    QJsonObject object;
    for (size_t i = 0; i < order.size(); ++i) {
        if (i + 1 < order.size() && dict[order[i + 1]].display == dict[order[i]].display)
            continue;
        object.insert(dict[order[i]].display, dict[order[i]].value);
    }
    return object;
}

bool isSimpleKey(const QString &key) {
    if (key.isEmpty() || key.size() > 60 || !(key.front().isLetter() || key.front() == QLatin1Char('_')))
        return false;
    return std::all_of(key.begin(), key.end(), [](QChar c) {
        return c.unicode() < 0x80 && (c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-'));
    });
}

QString kindName(Kind kind) {
    switch (kind) {
    case Kind::Scalar:
        return QObject::tr("a single value");
    case Kind::Sequence:
        return QObject::tr("a list");
    case Kind::Mapping:
        return QObject::tr("a mapping");
    }
    return {};
}

} // namespace

struct TreeBuilder::Impl {
    ExtraVarsLimits limits;
    std::vector<Frame> stack;
    QHash<QString, Anchor> anchors;
    std::optional<Node> root;
    qint64 nodes = 0;
    qint64 aliasNodes = 0;
    qint64 aliasBytes = 0;

    QString where() const;
    Status count(qint64 more, Mark mark);
    Status defineAnchor(const QString &name, Mark mark);
    Status begin(Kind kind, const QString &anchor, Mark mark);
    Status deliver(Node &&node);
    Status setKey(Frame &frame, const Node &node);
    Status merge(Frame &frame, const Node &node);
};

QString TreeBuilder::Impl::where() const {
    QString path;
    for (size_t i = 0; i < stack.size(); ++i) {
        const Frame &frame = stack[i];
        if (frame.kind == Kind::Sequence) {
            path += QLatin1Char('[') + QString::number(frame.array.size()) + QLatin1Char(']');
        } else if (!frame.haveKey) {
            return path.isEmpty() ? QObject::tr("a top-level key") : QObject::tr("a key of %1").arg(path);
        } else if (frame.keyIsMerge) {
            path += path.isEmpty() ? QStringLiteral("<<") : QStringLiteral(".<<");
        } else if (isSimpleKey(frame.keyDisplay)) {
            path += (path.isEmpty() ? QString() : QStringLiteral(".")) + frame.keyDisplay;
        } else {
            path += QStringLiteral("[\"") + shortened(frame.keyDisplay) + QStringLiteral("\"]");
        }
    }
    return path.isEmpty() ? QObject::tr("the top level") : path;
}

Status TreeBuilder::Impl::count(qint64 more, Mark mark) {
    nodes += more;
    if (nodes > limits.maxNodes)
        return Status::failure(cannotRead(
            QObject::tr("there are more than %1 keys and values (%2).").arg(limits.maxNodes).arg(at(mark))));
    return {};
}

Status TreeBuilder::Impl::defineAnchor(const QString &name, Mark mark) {
    if (name.isEmpty())
        return {};
    const auto it = anchors.constFind(name);
    if (it != anchors.constEnd())
        return Status::failure(cannotRead(QObject::tr("the anchor &%1 is defined twice, at %2 and at %3.")
                                              .arg(shortened(name), at(it->mark), at(mark))));
    anchors.insert(name, Anchor{mark, true, {}});
    return {};
}

Status TreeBuilder::Impl::begin(Kind kind, const QString &anchor, Mark mark) {
    if (stack.size() >= size_t(std::max(limits.maxDepth, 0)))
        return Status::failure(nestingMessage(limits.maxDepth, mark));
    Frame *parent = stack.empty() ? nullptr : &stack.back();
    if (parent && parent->kind == Kind::Mapping && !parent->haveKey)
        return Status::failure(cannotRead(
            QObject::tr("a key must be a single value, not %1 (%2).").arg(kindName(kind), at(mark))));
    if (Status counted = count(1, mark); !counted)
        return counted;
    if (Status defined = defineAnchor(anchor, mark); !defined)
        return defined;
    Frame frame;
    frame.kind = kind;
    frame.anchor = anchor;
    frame.mark = mark;
    frame.mergeSource =
        kind == Kind::Sequence && parent && parent->kind == Kind::Mapping && parent->keyIsMerge;
    frame.keepItems = kind == Kind::Sequence && (frame.mergeSource || !anchor.isEmpty());
    stack.push_back(std::move(frame));
    return {};
}

Status TreeBuilder::Impl::setKey(Frame &frame, const Node &node) {
    if (node.kind != Kind::Scalar)
        return Status::failure(cannotRead(QObject::tr("a key must be a single value, not %1 (%2).")
                                              .arg(kindName(node.kind), at(node.mark))));
    const Scalar &s = node.scalar;
    frame.keyIsMerge = false;
    switch (s.type) {
    case ScalarType::Merge:
        frame.keyIsMerge = true;
        frame.keyDisplay = QStringLiteral("<<");
        break;
    case ScalarType::Null:
        frame.key = {'z', QString()};
        frame.keyDisplay = QStringLiteral("null");
        break;
    case ScalarType::Bool:
        frame.key = {'n', s.boolean ? QStringLiteral("1") : QStringLiteral("0")};
        frame.keyDisplay = s.boolean ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case ScalarType::Int:
        frame.key = {'n', QString::number(s.integer)};
        frame.keyDisplay = frame.key.text;
        break;
    case ScalarType::Float: {
        frame.keyDisplay = pythonFloatRepr(s.number);
        const bool whole = s.number == std::trunc(s.number) && s.number >= -9223372036854775808.0 &&
                           s.number < 9223372036854775808.0;
        frame.key = whole ? PyKey{'n', QString::number(qint64(s.number))} : PyKey{'f', frame.keyDisplay};
        break;
    }
    case ScalarType::String:
        frame.key = {'s', s.text};
        frame.keyDisplay = s.text;
        break;
    case ScalarType::Value: // PyYAML turns a `=` key into the string "="
        frame.key = {'s', QStringLiteral("=")};
        frame.keyDisplay = frame.key.text;
        break;
    }
    frame.haveKey = true;
    return {};
}

Status TreeBuilder::Impl::merge(Frame &frame, const Node &node) {
    // As PyYAML's flatten_mapping: a list merges its mappings last to first, so earlier ones win;
    // the mapping's own keys are applied after every merge, so they win over merged ones.
    if (node.kind == Kind::Mapping) {
        frame.merges.push_back(node.dict);
        return {};
    }
    if (node.kind == Kind::Sequence && node.items &&
        std::all_of(node.items->begin(), node.items->end(), [](const DictPtr &item) { return bool(item); })) {
        frame.merges.insert(frame.merges.end(), node.items->rbegin(), node.items->rend());
        return {};
    }
    return Status::failure(cannotRead(QObject::tr("the merge key << at %1 needs a mapping or a list of "
                                                  "mappings, not %2 (%3).")
                                          .arg(where(),
                                               node.kind == Kind::Sequence ? QObject::tr("a list of "
                                                                                         "other values")
                                                                           : kindName(node.kind),
                                               at(node.mark))));
}

Status TreeBuilder::Impl::deliver(Node &&node) {
    if (node.kind == Kind::Scalar &&
        (node.scalar.type == ScalarType::Merge || node.scalar.type == ScalarType::Value) &&
        !(!stack.empty() && stack.back().kind == Kind::Mapping && !stack.back().haveKey)) {
        const QString text =
            node.scalar.type == ScalarType::Merge ? QStringLiteral("<<") : QStringLiteral("=");
        return Status::failure(
            cannotRead(QObject::tr("the plain value %1 at %2 (%3) has a meaning in YAML 1.1 only "
                                   "as a key; quote it (\"%1\") to mean the text.")
                           .arg(text, where(), at(node.mark))));
    }
    if (stack.empty()) {
        root = std::move(node);
        return {};
    }
    Frame &frame = stack.back();
    frame.nodes += node.nodes;
    frame.bytes += node.bytes;
    if (frame.kind == Kind::Sequence) {
        if (frame.mergeSource && node.kind != Kind::Mapping)
            return Status::failure(cannotRead(QObject::tr("the merge key << needs mappings in its list, not "
                                                          "%1 (%2).")
                                                  .arg(kindName(node.kind), at(node.mark))));
        if (frame.keepItems)
            frame.items.push_back(node.kind == Kind::Mapping ? node.dict : nullptr);
        frame.array.append(node.json);
        return {};
    }
    if (!frame.haveKey)
        return setKey(frame, node);
    if (frame.keyIsMerge) {
        Status merged = merge(frame, node); // while haveKey still names the << key, for its message
        frame.haveKey = false;
        return merged;
    }
    frame.haveKey = false;
    frame.pairs.push_back(Entry{std::move(frame.key), std::move(frame.keyDisplay), std::move(node.json)});
    return {};
}

TreeBuilder::TreeBuilder(const ExtraVarsLimits &limits)
    : d(std::make_unique<Impl>()) {
    d->limits = limits;
}

TreeBuilder::~TreeBuilder() = default;

Status TreeBuilder::beginSequence(const QString &anchor, Mark mark) {
    return d->begin(Kind::Sequence, anchor, mark);
}

Status TreeBuilder::beginMapping(const QString &anchor, Mark mark) {
    return d->begin(Kind::Mapping, anchor, mark);
}

Status TreeBuilder::end() {
    if (d->stack.empty())
        return Status::failure(cannotRead(QObject::tr("a list or mapping ends that never began.")));
    Frame frame = std::move(d->stack.back());
    d->stack.pop_back();
    Node node;
    node.kind = frame.kind;
    node.mark = frame.mark;
    node.nodes = frame.nodes;
    node.bytes = frame.bytes;
    if (frame.kind == Kind::Sequence) {
        node.json = std::move(frame.array);
        if (frame.keepItems)
            node.items = std::make_shared<const DictList>(std::move(frame.items));
    } else {
        std::vector<Entry> pairs;
        if (!frame.merges.empty()) {
            for (const DictPtr &merged : frame.merges)
                pairs.insert(pairs.end(), merged->begin(), merged->end());
            pairs.insert(pairs.end(), std::make_move_iterator(frame.pairs.begin()),
                         std::make_move_iterator(frame.pairs.end()));
        } else {
            pairs = std::move(frame.pairs);
        }
        auto dict = std::make_shared<const Dict>(toDict(std::move(pairs)));
        node.json = toJsonObject(*dict);
        node.dict = std::move(dict);
    }
    if (!frame.anchor.isEmpty()) {
        Anchor &anchor = d->anchors[frame.anchor];
        anchor.open = false;
        anchor.node = node;
    }
    return d->deliver(std::move(node));
}

Status TreeBuilder::scalar(const Scalar &value, qint64 utf8Bytes, const QString &anchor, Mark mark) {
    if (Status counted = d->count(1, mark); !counted)
        return counted;
    if (Status defined = d->defineAnchor(anchor, mark); !defined)
        return defined;
    Node node;
    node.scalar = value;
    node.json = value.json();
    node.bytes = utf8Bytes;
    node.mark = mark;
    if (!anchor.isEmpty()) {
        Anchor &defined = d->anchors[anchor];
        defined.open = false;
        defined.node = node;
    }
    return d->deliver(std::move(node));
}

Status TreeBuilder::alias(const QString &name, Mark mark) {
    const auto it = d->anchors.constFind(name);
    if (it == d->anchors.constEnd())
        return Status::failure(cannotRead(
            QObject::tr("the alias *%1 has no anchor &%1 before it (%2).").arg(shortened(name), at(mark))));
    if (it->open)
        return Status::failure(
            cannotRead(QObject::tr("the alias *%1 refers to the node that contains it (%2).")
                           .arg(shortened(name), at(mark))));
    Node node = it->node;
    node.mark = mark;
    d->aliasNodes += node.nodes;
    d->aliasBytes += node.bytes;
    if (d->aliasNodes > d->limits.maxAliasNodes)
        return Status::failure(
            cannotRead(QObject::tr("aliases expand to more than %1 values (an alias bomb?) at %2.")
                           .arg(d->limits.maxAliasNodes)
                           .arg(at(mark))));
    if (d->aliasBytes > d->limits.maxAliasBytes)
        return Status::failure(
            cannotRead(QObject::tr("aliases expand to more than %1 bytes of text (an alias bomb?) at %2.")
                           .arg(d->limits.maxAliasBytes)
                           .arg(at(mark))));
    if (Status counted = d->count(node.nodes, mark); !counted)
        return counted;
    return d->deliver(std::move(node));
}

QString TreeBuilder::where() const {
    return d->where();
}

QJsonValue TreeBuilder::root() const {
    return d->root ? d->root->json : QJsonValue(QJsonValue::Null);
}

} // namespace playdeck::extravars
