//! The syntax tree of a rule file, as written.
//!
//! Parsing builds it; checking reads it. Every node keeps the byte range it
//! came from so diagnostics can point at it.

/// A byte range in the rule file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub range: Range,
}

/// A parsed rule file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    /// `zone "…"` declarations, in order.
    pub zones: Vec<Spanned<String>>,
    /// `holidays NAME` declarations, in order.
    pub holidays: Vec<Spanned<String>>,
    /// `category NAME "Title"` declarations, in order.
    pub categories: Vec<(Spanned<String>, Spanned<String>)>,
    /// `param NAME = VALUE` declarations, in order.
    pub params: Vec<Param>,
    /// `list NAME = {…}` declarations, in order.
    pub lists: Vec<List>,
    /// `condition NAME = EXPR` declarations, in order.
    pub conditions: Vec<Condition>,
    /// `exception NAME { … }` declarations, in order.
    pub exceptions: Vec<Exception>,
    /// Exceptions every rule of the file applies (`except NAME` outside rules).
    pub excepts: Vec<Spanned<String>>,
    /// `sample N findings per category` declarations.
    pub samples: Vec<Spanned<f64>>,
    /// `spot check …` declarations.
    pub spot_checks: Vec<SpotCheck>,
    /// The rules, in order.
    pub rules: Vec<Rule>,
}

/// One `param NAME = VALUE` declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The parameter's name.
    pub name: Spanned<String>,
    /// Its default value: a number or text.
    pub value: Spanned<Literal>,
}

/// One `rule NAME { … }` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The rule's name.
    pub name: Spanned<String>,
    /// Its clauses, in the order written.
    pub clauses: Vec<Spanned<Clause>>,
    /// The whole block.
    pub range: Range,
}

/// A clause of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// `title "…"`
    Title(String),
    /// `description "…"`
    Description(String),
    /// `category NAME`
    Category(Spanned<String>),
    /// `severity NAME`
    Severity(Spanned<String>),
    /// `tags "…", "…"`
    Tags(Vec<String>),
    /// `except NAME, …`
    Except(Vec<Spanned<String>>),
    /// `where EXPR`
    Where(Expr),
    /// `group by KEYS [per CALENDAR]`
    GroupBy(GroupBy),
    /// `alert when EXPR`
    Alert(Expr),
    /// `explain "…"`
    Explain(Spanned<String>),
}

impl Clause {
    /// The clause's keyword, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            Clause::Title(_) => "title",
            Clause::Description(_) => "description",
            Clause::Category(_) => "category",
            Clause::Severity(_) => "severity",
            Clause::Tags(_) => "tags",
            Clause::Except(_) => "except",
            Clause::Where(_) => "where",
            Clause::GroupBy(_) => "group by",
            Clause::Alert(_) => "alert",
            Clause::Explain(_) => "explain",
        }
    }
}

/// `list NAME = {…}`: a named set.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The list's name.
    pub name: Spanned<String>,
    /// Its members, as written.
    pub items: Vec<Spanned<Literal>>,
    /// The whole set, braces included.
    pub range: Range,
}

/// `condition NAME = EXPR`: a named condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The condition's name.
    pub name: Spanned<String>,
    /// The condition.
    pub expr: Expr,
}

/// `spot check N users, M events each where CONDITION`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotCheck {
    /// How many users.
    pub users: Spanned<f64>,
    /// How many events of each.
    pub events: Spanned<f64>,
    /// The population: the events the spot check draws from.
    pub filter: Expr,
    /// The whole declaration.
    pub range: Range,
}

/// `exception NAME { reason "…" where CONDITION }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    /// The exception's name.
    pub name: Spanned<String>,
    /// `reason "…"`, when written.
    pub reason: Option<Spanned<String>>,
    /// `where CONDITION`, when written.
    pub condition: Option<Expr>,
    /// The whole declaration.
    pub range: Range,
}

/// The window of a `group by`.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowSpec {
    /// `per day`, `per week` or `per month`: the unit as written.
    Calendar(String),
    /// `within 10 minutes`: the amount and the unit as written.
    Sliding(f64, String),
}

/// `group by KEYS [per CALENDAR | within DURATION]`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupBy {
    /// The key paths.
    pub keys: Vec<Spanned<Vec<String>>>,
    /// `day`, `week` or `month`, when given.
    pub per: Option<Spanned<WindowSpec>>,
}

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub range: Range,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A constant.
    Literal(Literal),
    /// A field or dotted name.
    Path(Vec<String>),
    /// A function or aggregate call.
    Call(Spanned<String>, Vec<Expr>),
    /// A set of literals.
    Set(Vec<Spanned<Literal>>),
    /// A prefix operator.
    Unary(UnaryOp, Box<Expr>),
    /// An infix operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `EXPR between HH:MM and HH:MM`: local minutes since midnight.
    Between(Box<Expr>, Spanned<u16>, Spanned<u16>),
}

/// A constant.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Literal {
    /// `"text"`
    Text(String),
    /// `12` or `1.5`
    Number(f64),
    /// `true` or `false`
    Bool(bool),
    /// `null`
    #[default]
    Null,
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    /// Whether the operator compares two values.
    pub fn is_comparison(self) -> bool {
        use BinaryOp as B;
        matches!(self, B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge)
    }
}
