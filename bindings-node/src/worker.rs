//! `evaluateAsync`: the evaluation runs on a thread of its own while the
//! event loop goes on. Files are read there whole; JavaScript values are
//! written as JSON batches on the main thread (by `drive` in `helpers.js`)
//! and handed over one at a time, each taken before the next is read.

use crate::errors::{Failure, guarded};
use crate::evaluate::{context, from_files};
use crate::events::{BATCH, Sink};
use crate::helpers::Helpers;
use crate::options::EvaluateOptions;
use crate::report::Report;
use loggvakt::RuleSet;
use loggvakt::read::Format;
use napi::JsValue;
use napi::bindgen_prelude::{FnArgs, Function, Object, Unknown};
use napi::{Env, JsDeferred, Result};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

/// Settles a promise on the main thread with what the worker made.
type Resolver<T> = Box<dyn FnOnce(Env) -> Result<T> + Send>;

/// A promise the worker settles.
type Deferred<T> = JsDeferred<T, Resolver<T>>;

/// The arguments of `drive`: events, batch size, push, finish, abort.
type DriveArgs<'a> = FnArgs<(Unknown<'a>, u32, Unknown<'a>, Unknown<'a>, Unknown<'a>)>;

/// What the main thread sends the worker.
enum Message {
    /// A batch of events as lines of JSON, and the promise to settle when
    /// the worker takes it.
    Batch(String, u32, Deferred<()>),
    /// No more events: the promise of the report.
    Finish(Deferred<Report>),
}

/// Settles `deferred` with `result`, making the error on the main thread.
fn settle<T, U>(deferred: Deferred<T>, result: std::result::Result<U, Failure>, made: fn(U) -> T)
where
    T: napi::bindgen_prelude::ToNapiValue + 'static,
    U: Send + 'static,
{
    deferred.resolve(Box::new(move |env| match result {
        Ok(value) => Ok(made(value)),
        Err(failure) => Err(failure.into_error(&env)),
    }));
}

/// Evaluates files on a new thread; the promise of the report.
pub fn files<'env>(
    env: &'env Env,
    set: Arc<RuleSet>,
    files: Vec<(PathBuf, Format)>,
    options: EvaluateOptions,
) -> Result<Object<'env>> {
    let (deferred, promise) = env.create_deferred::<Report, Resolver<Report>>()?;
    spawn(move || {
        let result = guarded(|| from_files(&set, &files, &options));
        settle(deferred, result, Report::new);
    })?;
    Ok(promise)
}

/// Evaluates JavaScript values on a new thread, fed by `drive`.
pub fn values<'env>(
    env: &'env Env,
    helpers: &Helpers<'env>,
    set: Arc<RuleSet>,
    events: Unknown<'env>,
    options: EvaluateOptions,
) -> Result<Unknown<'env>> {
    let source = helpers.source_name(&events)?;
    let (sender, receiver) = channel::<Message>();
    spawn(move || work(&set, &options, &source, &receiver))?;
    let sender = Arc::new(Mutex::new(Some(sender)));

    let push = push_function(env, Arc::clone(&sender))?;
    let finish = finish_function(env, Arc::clone(&sender))?;
    let abort = env.create_function_from_closure::<(), (), _>("abort", move |_| {
        take(&sender);
        Ok(())
    })?;
    let drive: Function<'env, DriveArgs<'_>, Unknown<'env>> = helpers.function("drive")?;
    let args = (
        events,
        BATCH,
        push.to_unknown(),
        finish.to_unknown(),
        abort.to_unknown(),
    );
    drive.call(args.into())
}

fn take(sender: &Mutex<Option<Sender<Message>>>) -> Option<Sender<Message>> {
    sender.lock().unwrap_or_else(PoisonError::into_inner).take()
}

/// `push(text, count)`: hands a batch to the worker.
fn push_function(
    env: &Env,
    sender: Arc<Mutex<Option<Sender<Message>>>>,
) -> Result<Function<'_, FnArgs<(String, u32)>, Object<'static>>> {
    env.create_function_from_closure("push", move |call| {
        let (text, count): (String, u32) = call.args()?;
        let env = Env::from_raw(call.env.raw());
        let (deferred, promise) = env.create_deferred::<(), Resolver<()>>()?;
        let guard = sender.lock().unwrap_or_else(PoisonError::into_inner);
        let message = Message::Batch(text, count, deferred);
        if let Some(Err(error)) = guard.as_ref().map(|s| s.send(message)) {
            if let Message::Batch(_, _, deferred) = error.0 {
                let stopped = Failure::coded(crate::errors::INTERNAL, "the evaluation has stopped");
                settle(deferred, Err::<(), _>(stopped), |()| ());
            }
        }
        Ok(returned(&env, &promise))
    })
}

/// `finish()`: the promise of the report.
fn finish_function(
    env: &Env,
    sender: Arc<Mutex<Option<Sender<Message>>>>,
) -> Result<Function<'_, (), Object<'static>>> {
    env.create_function_from_closure("finish", move |call| {
        let env = Env::from_raw(call.env.raw());
        let (deferred, promise) = env.create_deferred::<Report, Resolver<Report>>()?;
        if let Some(sender) = take(&sender) {
            let _ = sender.send(Message::Finish(deferred));
        }
        Ok(returned(&env, &promise))
    })
}

/// The worker: takes batches until told to finish, or until the main
/// thread lets go (an exception in the iterable).
fn work(set: &RuleSet, options: &EvaluateOptions, source: &str, receiver: &Receiver<Message>) {
    let started = guarded(|| {
        let context = context(set, options)?;
        Ok(Sink::new(set, options, context, Vec::new()))
    });
    let mut state: std::result::Result<Sink<'_>, Failure> = started;
    while let Ok(message) = receiver.recv() {
        match message {
            Message::Batch(text, count, taken) => {
                let failed = state.as_ref().err().cloned();
                settle(taken, failed.map_or(Ok(()), Err), |()| ());
                if let Ok(sink) = state.as_mut() {
                    let pushed = guarded(|| sink.push_lines(&text, count, source));
                    if let Err(failure) = pushed {
                        state = Err(failure);
                    }
                }
            }
            Message::Finish(report) => {
                let result = state.and_then(|sink| guarded(|| Ok(sink.finish())));
                settle(report, result, Report::new);
                return;
            }
        }
    }
}

/// A promise made inside a closure, handed back as the closure's result
/// (which cannot borrow the call's `Env`); it is returned at once, while
/// the call is live.
fn returned(env: &Env, promise: &Object<'_>) -> Object<'static> {
    Object::from_raw(env.raw(), promise.raw())
}

fn spawn(work: impl FnOnce() + Send + 'static) -> Result<()> {
    std::thread::Builder::new()
        .name("loggvakt-evaluate".to_string())
        .spawn(work)
        .map(|_| ())
        .map_err(|e| napi::Error::from_reason(format!("cannot start a thread: {e}")))
}
