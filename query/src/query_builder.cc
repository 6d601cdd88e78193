#include "query_builder.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>

#include "fidx/fold.h"
#include "fidx/schema.h"

namespace fidx {

namespace {

using Kind = QueryNode::Kind;

// NEAR without a number: within this many words, as Xapian's QueryParser.
constexpr unsigned kDefaultNear = 10;
// The widest NEAR/n accepted: fields of a document are indexed 100
// positions apart (document_builder.cc), so a window stays inside one.
constexpr unsigned kMaxNear = 50;

[[noreturn]] void Fail(const std::string& message) { throw QueryError(message); }

// A word's term for the default, stemmed search, as the indexer adds it
// (DocumentBuilder::AddStems): "Z" + prefix + stem for words starting with
// a letter, the word itself otherwise (numbers).
std::string StemmedTerm(const std::string& word, const char* prefix) {
  std::string bare = word.substr(std::string_view(prefix).size());
  if (!schema::StartsWithLetter(bare)) return word;
  thread_local const Xapian::Stem stem = QueryStemmer();
  std::string stemmed = stem(bare);
  if (stemmed.empty()) return word;
  return "Z" + std::string(prefix) + stemmed;
}

// ---- Tokens ----

struct Token {
  enum class Type { kEnd, kLParen, kRParen, kWord, kPhrase, kField, kStar,
                    kAnd, kOr, kNot, kNear, kAdj };
  Type type = Type::kEnd;
  std::string text;        // kWord, kPhrase: as typed; kField: the value
  std::string field;       // kField: the field name
  bool quoted = false;     // kField: the value was in quotes
  char sign = 0;           // '+' or '-' written before it
  unsigned distance = 0;   // kNear, kAdj: the n of NEAR/n (kDefaultNear if none)
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool AllLetters(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

// "NEAR", "NEAR/5", "ADJ/2": true and the type and distance if `word` is one.
bool ProximityOperator(const std::string& word, Token* t) {
  std::string name = word.substr(0, word.find('/'));
  if (name != "NEAR" && name != "ADJ") return false;
  t->type = name == "NEAR" ? Token::Type::kNear : Token::Type::kAdj;
  t->distance = kDefaultNear;
  if (word.size() == name.size()) return true;
  std::string n = word.substr(name.size() + 1);
  if (n.empty() || n.size() > 3 || !std::all_of(n.begin(), n.end(), ::isdigit) ||
      std::stoul(n) > kMaxNear) {
    Fail("'" + word + "': write " + name + "/n with n from 0 to " + std::to_string(kMaxNear) +
         " (words allowed between the two)");
  }
  t->distance = static_cast<unsigned>(std::stoul(n));
  return true;
}

std::vector<Token> Tokenize(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0;
  char sign = 0;
  auto push = [&](Token t) {
    t.sign = sign;
    sign = 0;
    out.push_back(std::move(t));
  };
  auto quoted = [&](size_t open) {  // s[open] == '"'
    size_t close = s.find('"', open + 1);
    if (close == std::string::npos) Fail("a quote is not closed: " + s.substr(open));
    i = close + 1;
    return s.substr(open + 1, close - open - 1);
  };
  while (i < s.size()) {
    char c = s[i];
    if (IsSpace(c)) {
      if (sign) Fail(std::string("'") + sign + "' must be written against what it applies to, as in -word");
      ++i;
      continue;
    }
    if (c == '(' || c == ')') {
      Token t;
      t.type = c == '(' ? Token::Type::kLParen : Token::Type::kRParen;
      if (c == ')' && sign) Fail(std::string("'") + sign + "' before ')' applies to nothing");
      push(t);
      ++i;
      continue;
    }
    if ((c == '-' || c == '+') && !sign && i + 1 < s.size() && !IsSpace(s[i + 1]) &&
        s[i + 1] != ')' && s[i + 1] != '-' && s[i + 1] != '+') {
      sign = c;
      ++i;
      continue;
    }
    if (c == '"') {
      Token t;
      t.type = Token::Type::kPhrase;
      t.text = quoted(i);
      push(t);
      continue;
    }
    size_t start = i;
    // A field's value may hold balanced parentheses (type:EX-99.4(A)); a
    // ')' it did not open ends it, as in (form:8-K OR form:10-K).
    bool field_value = false;
    int depth = 0;
    while (i < s.size() && !IsSpace(s[i]) && s[i] != '"') {
      if (s[i] == ':' && !field_value && AllLetters(s.substr(start, i - start))) {
        if (i + 1 < s.size() && s[i + 1] == '"') break;
        field_value = true;
      } else if (s[i] == '(') {
        if (!field_value || i == start) break;
        if (s[i - 1] == ':') break;  // name:( ... ) is a group, refused below
        ++depth;
      } else if (s[i] == ')') {
        if (depth == 0) break;
        --depth;
      }
      ++i;
    }
    std::string word = s.substr(start, i - start);
    Token t;
    size_t colon = word.find(':');
    if (i < s.size() && s[i] == ':' ) {
      // name:"quoted value"
      t.type = Token::Type::kField;
      t.field = word;
      ++i;
      t.text = quoted(i);
      t.quoted = true;
    } else if (word == "AND" || word == "OR" || word == "NOT") {
      if (sign) Fail(std::string("'") + sign + word + "': an operator cannot be signed");
      t.type = word == "AND" ? Token::Type::kAnd : word == "OR" ? Token::Type::kOr : Token::Type::kNot;
    } else if (word == "XOR") {
      Fail("XOR is not supported: use OR, AND and NOT");
    } else if (ProximityOperator(word, &t)) {
      if (sign) Fail(std::string("'") + sign + word + "': an operator cannot be signed");
    } else if (word == "*") {
      t.type = Token::Type::kStar;
    } else if (colon != std::string::npos && colon > 0 && AllLetters(word.substr(0, colon))) {
      t.type = Token::Type::kField;
      t.field = word.substr(0, colon);
      t.text = word.substr(colon + 1);
      if (t.text.empty() && i < s.size() && s[i] == '(') {
        Fail("'" + word + "(...)': a field takes one value; write " + t.field + ":a OR " +
             t.field + ":b");
      }
    } else if (colon == 0) {
      Fail("'" + word + "': a field filter is name:value (fields: " + schema::FieldNames() + ")");
    } else {
      t.type = Token::Type::kWord;
      t.text = word;
    }
    push(t);
  }
  if (sign) Fail(std::string("'") + sign + "' at the end of the query applies to nothing");
  Token end;
  out.push_back(end);
  return out;
}

// ---- Words ----

// The terms TermGenerator makes of `text` (as the indexer does), in order.
std::vector<std::string> Words(const std::string& text, const char* prefix = "") {
  Xapian::TermGenerator tg;
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  tg.set_max_word_length(64);
  Xapian::Document doc;
  tg.set_document(doc);
  tg.index_text(FoldAccents(text), 1, prefix);  // as the indexer: accents folded
  std::vector<std::pair<Xapian::termpos, std::string>> at;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at.emplace_back(*p, *t);
  }
  std::sort(at.begin(), at.end());
  std::vector<std::string> out;
  for (auto& [pos, term] : at) out.push_back(std::move(term));
  return out;
}

class Parser {
 public:
  explicit Parser(const std::string& text) : tokens_(Tokenize(text)) {}

  QueryNode Parse() {
    if (tokens_.size() == 1) Fail("the query is empty: give words, a phrase, filters or *");
    std::optional<QueryNode> root = OrExpr();
    if (Peek().type == Token::Type::kRParen) Fail("')' without a matching '('");
    if (Peek().type != Token::Type::kEnd) Fail("unexpected " + Describe(Peek()));
    if (!root) Fail("the query has no words to search (only punctuation)");
    return std::move(*root);
  }

  std::vector<std::string> exact_terms;
  std::vector<std::string> wildcard_prefixes;

 private:
  const Token& Peek() const { return tokens_[at_]; }
  const Token& Next() { return tokens_[at_++]; }

  static std::string Describe(const Token& t) {
    switch (t.type) {
      case Token::Type::kEnd: return "end of query";
      case Token::Type::kLParen: return "'('";
      case Token::Type::kRParen: return "')'";
      case Token::Type::kAnd: return "AND";
      case Token::Type::kOr: return "OR";
      case Token::Type::kNot: return "NOT";
      case Token::Type::kNear: return "NEAR";
      case Token::Type::kAdj: return "ADJ";
      case Token::Type::kStar: return "'*'";
      case Token::Type::kField: return "'" + t.field + ":" + t.text + "'";
      default: return "'" + t.text + "'";
    }
  }

  static bool StartsOperand(const Token& t) {
    switch (t.type) {
      case Token::Type::kLParen: case Token::Type::kWord: case Token::Type::kPhrase:
      case Token::Type::kField: case Token::Type::kStar: case Token::Type::kNot:
        return true;
      default:
        return false;
    }
  }

  static QueryNode Combine(Kind kind, std::vector<QueryNode> children) {
    if (children.size() == 1) return std::move(children[0]);
    QueryNode n;
    n.kind = kind;
    n.children = std::move(children);
    return n;
  }

  std::optional<QueryNode> OrExpr() {
    std::vector<QueryNode> children;
    if (Peek().type == Token::Type::kOr || Peek().type == Token::Type::kAnd) {
      Fail(Describe(Peek()) + " needs something on its left");
    }
    if (auto c = AndExpr()) children.push_back(std::move(*c));
    while (Peek().type == Token::Type::kOr) {
      Next();
      if (!StartsOperand(Peek())) Fail("OR needs something on its right, not " + Describe(Peek()));
      if (auto c = AndExpr()) children.push_back(std::move(*c));
    }
    if (children.empty()) return std::nullopt;
    return Combine(Kind::kOr, std::move(children));
  }

  std::optional<QueryNode> AndExpr() {
    std::vector<QueryNode> children;
    bool explicit_and = false;
    if (auto c = Unary()) children.push_back(std::move(*c));
    while (true) {
      const Token& t = Peek();
      if (t.type == Token::Type::kAnd) {
        Next();
        explicit_and = true;
        if (!StartsOperand(Peek())) Fail("AND needs something on its right, not " + Describe(Peek()));
        if (auto c = Unary()) children.push_back(std::move(*c));
      } else if (t.type == Token::Type::kNear || t.type == Token::Type::kAdj) {
        Fail(Describe(t) + " needs a word on its left");
      } else if (StartsOperand(t)) {
        if (auto c = Unary()) children.push_back(std::move(*c));
      } else {
        break;
      }
    }
    if (children.empty()) return std::nullopt;
    if (!explicit_and) MergeSameField(&children);
    return Combine(Kind::kAnd, std::move(children));
  }

  // Filters of one field side by side are alternatives: form:10-K form:10-Q,
  // company:apple company:nvidia (join them with AND to require both).
  static void MergeSameField(std::vector<QueryNode>* children) {
    std::vector<QueryNode> out;
    for (QueryNode& c : *children) {
      if (c.kind == Kind::kLeaf && !c.field.empty()) {
        auto same = std::find_if(out.begin(), out.end(), [&](const QueryNode& o) {
          return (o.kind == Kind::kLeaf && o.field == c.field) ||
                 (o.kind == Kind::kOr && !o.children.empty() && o.children[0].field == c.field &&
                  o.field == c.field);
        });
        if (same != out.end()) {
          if (same->kind == Kind::kLeaf) {
            QueryNode alt;
            alt.kind = Kind::kOr;
            alt.field = c.field;  // marks a merged group
            alt.children.push_back(std::move(*same));
            *same = std::move(alt);
          }
          same->children.push_back(std::move(c));
          continue;
        }
      }
      out.push_back(std::move(c));
    }
    *children = std::move(out);
  }

  std::optional<QueryNode> Unary() {
    if (Peek().type == Token::Type::kNot) {
      Next();
      if (!StartsOperand(Peek())) Fail("NOT needs something on its right, not " + Describe(Peek()));
      std::optional<QueryNode> c = Unary();
      if (!c) return std::nullopt;
      return Negate(std::move(*c));
    }
    char sign = Peek().sign;
    std::optional<QueryNode> c = Proximity();
    if (!c || sign != '-') return c;
    return Negate(std::move(*c));
  }

  static QueryNode Negate(QueryNode c) {
    QueryNode n;
    n.kind = Kind::kNot;
    n.children.push_back(std::move(c));
    return n;
  }

  std::optional<QueryNode> Proximity() {
    size_t first = at_;
    std::optional<QueryNode> left = Primary();
    Token::Type op = Peek().type;
    if (op != Token::Type::kNear && op != Token::Type::kAdj) return left;
    // a NEAR b NEAR c: one group of words (single words, as indexed).
    std::vector<std::string> terms;
    auto operand = [&](size_t index) {
      const Token& t = tokens_[index];
      std::string name = t.type == Token::Type::kNear ? "NEAR" : "ADJ";
      if (t.type != Token::Type::kWord || (index != first && t.sign) || t.text.back() == '*') {
        Fail("NEAR and ADJ join single words: " + Describe(t) +
             " cannot be one of them (a phrase near a word is not supported)");
      }
      std::vector<std::string> w = Words(t.text);
      if (w.size() != 1) Fail("NEAR and ADJ join single words: '" + t.text + "' is not one word");
      terms.push_back(w[0]);
    };
    operand(first);
    if (at_ != first + 1) Fail("NEAR and ADJ join single words, not a group in parentheses");
    unsigned distance = 0;
    while (Peek().type == Token::Type::kNear || Peek().type == Token::Type::kAdj) {
      const Token& opt = Next();
      if (opt.type != op) Fail("NEAR and ADJ cannot be mixed in one group");
      distance = std::max(distance, opt.distance);
      if (Peek().type != Token::Type::kWord) {
        Fail(std::string(op == Token::Type::kNear ? "NEAR" : "ADJ") +
             " needs a word on its right, not " + Describe(Peek()));
      }
      operand(at_);
      Next();
    }
    for (const std::string& t : terms) exact_terms.push_back(t);
    QueryNode n;
    n.kind = Kind::kLeaf;
    n.ranked = true;
    std::vector<Xapian::Query> subs(terms.begin(), terms.end());
    // Window: the span of positions holding them all; n words between.
    Xapian::termcount window = distance + static_cast<Xapian::termcount>(terms.size());
    n.query = Xapian::Query(op == Token::Type::kNear ? Xapian::Query::OP_NEAR
                                                     : Xapian::Query::OP_PHRASE,
                            subs.begin(), subs.end(), window);
    return n;
  }

  std::optional<QueryNode> Primary() {
    const Token& t = Next();
    switch (t.type) {
      case Token::Type::kLParen: {
        if (Peek().type == Token::Type::kRParen) Fail("empty parentheses '()'");
        std::optional<QueryNode> inner = OrExpr();
        if (Peek().type != Token::Type::kRParen) Fail("'(' without a matching ')'");
        Next();
        if (inner) inner->field.clear();  // a group is not merged with its neighbours
        return inner;
      }
      case Token::Type::kStar: {
        QueryNode n;
        n.kind = Kind::kAll;
        return n;
      }
      case Token::Type::kWord: return Word(t.text, "");
      case Token::Type::kPhrase: return Phrase(t.text, "");
      case Token::Type::kField: return Field(t);
      default:
        Fail("unexpected " + Describe(t));
    }
  }

  std::optional<QueryNode> Word(const std::string& text, const char* prefix) {
    if (text.find('*') != std::string::npos) {
      if (text.find('*') != text.size() - 1 || text.size() == 1) {
        Fail("'" + text + "': * may only end a word (pharma* finds pharmaceutical); "
             "a leading or inner * is not supported");
      }
      std::vector<std::string> w = Words(text.substr(0, text.size() - 1), prefix);
      if (w.size() != 1) Fail("'" + text + "': a wildcard must follow a single word");
      QueryNode n;
      n.kind = Kind::kLeaf;
      n.ranked = true;
      n.query = Xapian::Query(Xapian::Query::OP_WILDCARD, w[0], kMaxWildcardExpansion,
                              Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_SYNONYM);
      wildcard_prefixes.push_back(w[0]);
      return n;
    }
    std::vector<std::string> w = Words(text, prefix);
    if (w.empty()) return std::nullopt;  // punctuation only ("&", "--")
    if (w.size() > 1) return PhraseOf(w);  // drug-related, U.S.-based: as Xapian
    QueryNode n;
    n.kind = Kind::kLeaf;
    n.ranked = true;
    n.query = Xapian::Query(StemmedTerm(w[0], prefix));
    exact_terms.push_back(w[0]);
    return n;
  }

  std::optional<QueryNode> Phrase(const std::string& text, const char* prefix) {
    std::vector<std::string> w = Words(text, prefix);
    if (w.empty()) Fail("empty phrase \"" + text + "\": a phrase needs words");
    if (w.size() == 1) {
      QueryNode n;
      n.kind = Kind::kLeaf;
      n.ranked = true;
      n.query = Xapian::Query(w[0]);  // a quoted word: exact, unstemmed
      exact_terms.push_back(w[0]);
      return n;
    }
    return PhraseOf(w);
  }

  QueryNode PhraseOf(const std::vector<std::string>& w) {
    QueryNode n;
    n.kind = Kind::kLeaf;
    n.ranked = true;
    n.query = Xapian::Query(Xapian::Query::OP_PHRASE, w.begin(), w.end(),
                            static_cast<Xapian::termcount>(w.size()));
    for (const std::string& t : w) exact_terms.push_back(t);
    return n;
  }

  std::optional<QueryNode> Field(const Token& t) {
    const schema::Field* f = schema::FindField(t.field);
    if (!f) {
      const schema::Field* lower = schema::FindField(Lower(t.field));
      if (lower) {
        Fail("'" + t.field + ":': fields are lower case, write " + lower->name + ":" + t.text);
      }
      Fail("unknown field '" + t.field + ":' (fields: " + schema::FieldNames() +
           "); to search the text, put it in quotes: \"" + t.field + ":" + t.text + "\"");
    }
    std::string value = t.text;
    auto bad = [&](const std::string& why) {
      Fail("'" + t.field + ":" + value + "' " + why + ": " + f->name + ": takes " + f->accepts);
    };
    if (value.empty()) bad("has no value");
    std::optional<QueryNode> n;
    switch (f->kind) {
      case schema::FieldKind::kText:
        n = t.quoted ? Phrase(value, f->prefix) : Word(value, f->prefix);
        if (!n) bad("has no words");
        n->filing_constant = f->level == schema::FieldLevel::kFiling;
        break;
      case schema::FieldKind::kTerm:
        n = TermFilter(*f, value, bad);
        break;
      case schema::FieldKind::kYear:
      case schema::FieldKind::kDate:
        n = DateFilter(*f, value, bad);
        break;
    }
    n->field = f->name;
    return n;
  }

  template <typename Bad>
  QueryNode TermFilter(const schema::Field& f, const std::string& value, Bad bad) {
    QueryNode n;
    n.kind = Kind::kLeaf;
    n.filing_constant = f.level == schema::FieldLevel::kFiling;
    if (value.size() > 1 && value.back() == '*') {
      std::string term = f.term(value.substr(0, value.size() - 1));
      if (term.empty()) bad("does not start a valid value");
      n.query = Xapian::Query(Xapian::Query::OP_WILDCARD, term, kMaxWildcardExpansion,
                              Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_OR);
      return n;
    }
    if (value.find('*') != std::string::npos) bad("has a * that does not end it");
    std::string term = f.term(value);
    if (term.empty()) bad("is not valid");
    n.query = Xapian::Query(term);
    return n;
  }

  // "2017", "2017-03", "2017-03-08", "20170308" -> first (or last) day as
  // YYYYMMDD; "" if it is not a date of the calendar.
  static std::string DateBound(const std::string& s, bool end) {
    std::string d;
    for (char c : s) {
      if (c >= '0' && c <= '9') {
        d.push_back(c);
      } else if (c != '-' && c != '/') {
        return "";
      }
    }
    if (d.size() != 4 && d.size() != 6 && d.size() != 8) return "";
    int y = std::stoi(d.substr(0, 4));
    int m = d.size() >= 6 ? std::stoi(d.substr(4, 2)) : (end ? 12 : 1);
    if (m < 1 || m > 12) return "";
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int days = kDays[m - 1] + (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
    int day = d.size() == 8 ? std::stoi(d.substr(6, 2)) : (end ? days : 1);
    if (day < 1 || day > days) return "";
    char buf[9];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, day);
    return buf;
  }

  template <typename Bad>
  QueryNode DateFilter(const schema::Field& f, const std::string& value, Bad bad) {
    QueryNode n;
    n.kind = Kind::kLeaf;
    n.filing_constant = true;
    size_t dots = value.find("..");
    if (f.kind == schema::FieldKind::kYear && dots == std::string::npos) {
      std::string term = f.term(value);
      if (term.empty()) bad("is not a year");
      n.query = Xapian::Query(term);
      return n;
    }
    std::string a = dots == std::string::npos ? value : value.substr(0, dots);
    std::string b = dots == std::string::npos ? value : value.substr(dots + 2);
    if (a.empty() && b.empty()) bad("has no dates");
    if (f.kind == schema::FieldKind::kYear) {
      if ((!a.empty() && f.term(a).empty()) || (!b.empty() && f.term(b).empty())) {
        bad("is not a range of years");
      }
    }
    std::string from = a.empty() ? "" : DateBound(a, false);
    std::string to = b.empty() ? "" : DateBound(b, true);
    if ((!a.empty() && from.empty()) || (!b.empty() && to.empty())) bad("is not a valid date");
    if (!from.empty() && !to.empty() && from > to) {
      bad("is reversed (write the earlier end first: " + b + ".." + a + ")");
    }
    if (from.empty()) {
      n.query = Xapian::Query(Xapian::Query::OP_VALUE_LE, f.slot, to);
    } else if (to.empty()) {
      n.query = Xapian::Query(Xapian::Query::OP_VALUE_GE, f.slot, from);
    } else {
      n.query = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, f.slot, from, to);
    }
    return n;
  }

  std::vector<Token> tokens_;
  size_t at_ = 0;
};

void CollectRanking(const QueryNode& n, std::vector<Xapian::Query>* out) {
  switch (n.kind) {
    case Kind::kLeaf:
      if (n.ranked) out->push_back(n.query);
      break;
    case Kind::kAnd:
    case Kind::kOr:
      for (const QueryNode& c : n.children) CollectRanking(c, out);
      break;
    default:
      break;
  }
}

}  // namespace

bool QueryNode::Varies() const {
  if (kind == Kind::kLeaf) return !filing_constant;
  return std::any_of(children.begin(), children.end(), [](const QueryNode& c) { return c.Varies(); });
}

bool QueryNode::Ranked() const {
  if (kind == Kind::kLeaf) return ranked;
  if (kind == Kind::kNot) return false;
  return std::any_of(children.begin(), children.end(), [](const QueryNode& c) { return c.Ranked(); });
}

bool DocumentSafe(const QueryNode& n) {
  switch (n.kind) {
    case Kind::kAll:
    case Kind::kLeaf:
      return true;
    case Kind::kNot:
      return !n.children[0].Varies();
    case Kind::kOr:
      return std::all_of(n.children.begin(), n.children.end(), DocumentSafe);
    case Kind::kAnd: {
      size_t varying = 0;
      for (const QueryNode& c : n.children) {
        if (!DocumentSafe(c)) return false;
        varying += c.Varies();
      }
      return varying <= 1;
    }
  }
  return false;
}

Xapian::Query DocumentQuery(const QueryNode& n) {
  switch (n.kind) {
    case Kind::kAll:
      return MatchAllQuery();
    case Kind::kLeaf:
      return n.query;
    case Kind::kNot:
      return Xapian::Query(Xapian::Query::OP_AND_NOT, MatchAllQuery(),
                           DocumentQuery(n.children[0]));
    case Kind::kOr: {
      std::vector<Xapian::Query> subs;
      for (const QueryNode& c : n.children) subs.push_back(DocumentQuery(c));
      return Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    }
    case Kind::kAnd: {
      // Ranked parts AND-ed, filters applied as filters (no weight), NOTs
      // taken away; with nothing positive, from every document.
      std::vector<Xapian::Query> ranked, filters, negated;
      for (const QueryNode& c : n.children) {
        if (c.kind == Kind::kNot) {
          negated.push_back(DocumentQuery(c.children[0]));
        } else if (c.kind == Kind::kAll) {
          continue;
        } else if (c.Ranked()) {
          ranked.push_back(DocumentQuery(c));
        } else {
          filters.push_back(DocumentQuery(c));
        }
      }
      Xapian::Query q = MatchAllQuery();
      if (!ranked.empty()) q = Xapian::Query(Xapian::Query::OP_AND, ranked.begin(), ranked.end());
      if (!filters.empty()) {
        Xapian::Query f(Xapian::Query::OP_AND, filters.begin(), filters.end());
        q = ranked.empty() ? f : Xapian::Query(Xapian::Query::OP_FILTER, q, f);
      }
      if (!negated.empty()) {
        q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                          Xapian::Query(Xapian::Query::OP_OR, negated.begin(), negated.end()));
      }
      return q;
    }
  }
  return Xapian::Query::MatchNothing;
}

Xapian::Stem QueryStemmer() { return Xapian::Stem("english"); }

namespace {

// QueryStemmer() with a cache of the words it has stemmed.
class CachingStemmer : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override {
    // Bounded, as the indexer's (DocumentBuilder::Stem).
    constexpr size_t kMaxCachedStems = 1 << 16;
    auto it = cache_.find(word);
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStems) cache_.clear();
    return cache_.emplace(word, stem_(word)).first->second;
  }
  std::string get_description() const override {
    return "cached " + stem_.get_description();
  }

 private:
  Xapian::Stem stem_ = QueryStemmer();
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace

Xapian::Stem CachingQueryStemmer() { return Xapian::Stem(new CachingStemmer); }

// The empty term is Xapian's "every document" (what MatchAll holds).
Xapian::Query MatchAllQuery() { return Xapian::Query(std::string()); }

BuiltQuery BuildQuery(const std::string& text) {
  Parser parser(text);
  BuiltQuery built;
  built.root = parser.Parse();
  built.query = DocumentQuery(built.root);
  std::vector<Xapian::Query> ranking;
  CollectRanking(built.root, &ranking);
  if (!ranking.empty()) {
    built.ranking = Xapian::Query(Xapian::Query::OP_OR, ranking.begin(), ranking.end());
  }
  built.has_text = built.root.Ranked();
  built.filing_level = !built.root.Varies();
  built.document_safe = DocumentSafe(built.root);
  built.exact_terms = std::move(parser.exact_terms);
  std::sort(built.exact_terms.begin(), built.exact_terms.end());
  built.exact_terms.erase(std::unique(built.exact_terms.begin(), built.exact_terms.end()),
                          built.exact_terms.end());
  built.wildcard_prefixes = std::move(parser.wildcard_prefixes);
  return built;
}

}  // namespace fidx
