//! Long work (a sensor sync, live data, a long model run, detection over a
//! file) runs on the library's own runtime and hands back a [`TaskHandle`]:
//! `cancel()` it, or drop/close it, and the work stops cleanly (the sensor
//! is told to stop and disconnected; a computation ends with `Cancelled`).

use std::future::Future;
use std::sync::{Arc, LazyLock};

use second_heart_core::app::Progress;
use tokio::runtime::Runtime;
use tokio_util::sync::CancellationToken;

use crate::SecondHeartError;

/// The library's runtime: two worker threads, enough for a sync and live
/// data at once, started on first use.
static RUNTIME: LazyLock<Option<Runtime>> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("second-heart")
        .enable_all()
        .build()
        .ok()
});

/// Runs `work` on the library's runtime with a fresh cancellation token.
/// Should `work` panic (a bug), `failed` hears it as `Internal`, so the
/// listener that waits for the end of a sync or a stream still hears one.
/// Returns `None` when no runtime could be started (no threads left).
pub(crate) fn spawn<F>(
    work: impl FnOnce(CancellationToken) -> F,
    failed: impl FnOnce(SecondHeartError) + Send + 'static,
) -> Option<Arc<TaskHandle>>
where
    F: Future<Output = ()> + Send + 'static,
{
    let runtime = RUNTIME.as_ref()?;
    let token = CancellationToken::new();
    let job = runtime.spawn(work(token.clone()));
    runtime.spawn(async move {
        if let Err(error) = job.await
            && error.is_panic()
        {
            failed(SecondHeartError::Internal {
                detail: format!("the work stopped on a bug: {error}"),
            });
        }
    });
    Some(Arc::new(TaskHandle { token }))
}

/// Runs `work` to its end on the library's runtime, blocking the calling
/// thread. Called from one of the library runtime's own threads (an app's
/// listener calling back in), where blocking would panic, the worker hands
/// its place to another thread while it waits, so the runtime keeps
/// driving timers and sockets; inside any other runtime, a thread of its
/// own blocks. Returns `None` when no runtime could be started.
#[cfg(feature = "desktop")]
pub(crate) fn block_on<F>(work: F) -> Option<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    use tokio::runtime::Handle;
    let runtime = RUNTIME.as_ref()?;
    match Handle::try_current() {
        Err(_) => Some(runtime.block_on(work)),
        Ok(current) if current.id() == runtime.handle().id() => {
            Some(tokio::task::block_in_place(|| {
                runtime.handle().block_on(work)
            }))
        }
        Ok(_) => std::thread::scope(|scope| scope.spawn(|| runtime.block_on(work)).join().ok()),
    }
}

/// Runs the computation `work` on a blocking thread of the library's
/// runtime (so it never holds up a sync), handing it the task's token and
/// `report` as its [`Progress`]; `finished` hears how it ended.
pub(crate) fn spawn_computation<T: Send + 'static>(
    report: impl Fn(f64) + Send + Sync + 'static,
    work: impl FnOnce(Arc<dyn Progress>) -> Result<T, SecondHeartError> + Send + 'static,
    finished: impl FnOnce(Result<T, SecondHeartError>) + Send + 'static,
) -> Result<Arc<TaskHandle>, SecondHeartError> {
    // The computation's panic is caught below and reaches `finished`.
    let computation = move |token| async move {
        let progress = Arc::new(TaskProgress {
            token,
            report: Box::new(report),
        });
        let result = tokio::task::spawn_blocking(move || work(progress))
            .await
            .unwrap_or_else(|panic| {
                Err(SecondHeartError::Internal {
                    detail: format!("the computation failed: {panic}"),
                })
            });
        finished(result);
    };
    spawn(computation, drop).ok_or_else(|| SecondHeartError::Internal {
        detail: "could not start the library's worker threads".to_owned(),
    })
}

/// A computation's progress: reported to the app's listener, cancelled
/// with the task.
struct TaskProgress {
    token: CancellationToken,
    report: Box<dyn Fn(f64) + Send + Sync>,
}

impl Progress for TaskProgress {
    fn advanced(&self, fraction: f64) {
        (self.report)(fraction);
    }

    fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }
}

/// A piece of long work. Cancelling is safe at any time and from any
/// thread; what was committed stays.
#[derive(Debug, uniffi::Object)]
pub struct TaskHandle {
    token: CancellationToken,
}

#[uniffi::export]
impl TaskHandle {
    /// Stops the work; its listener hears `SyncCancelled` or `Cancelled`
    /// (or the end, when it came first).
    pub fn cancel(&self) {
        self.token.cancel();
    }

    /// Whether it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.token.cancel();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn work_that_panics_still_reaches_its_listener() {
        let (sender, heard) = mpsc::channel();
        let _handle = spawn(
            |_token| async { panic!("a bug in the work") },
            move |error| sender.send(error).expect("test listening"),
        )
        .expect("runtime");
        let error = heard
            .recv_timeout(Duration::from_secs(10))
            .expect("the listener heard the end");
        assert!(
            matches!(&error, SecondHeartError::Internal { detail } if detail.contains("a bug in the work")),
            "{error:?}"
        );
    }

    #[cfg(feature = "desktop")]
    #[test]
    fn blocking_work_asked_for_from_the_runtime_s_own_thread_runs_instead_of_panicking() {
        let (sender, heard) = mpsc::channel();
        // As listeners calling back in do: from tasks on both of the
        // runtime's workers at once, each waiting on a timer the runtime
        // must drive.
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let sender = sender.clone();
                spawn(
                    |_token| async move {
                        let answer = block_on(async {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            6 * 7
                        });
                        sender.send(answer).expect("test listening");
                    },
                    |_| {},
                )
                .expect("runtime")
            })
            .collect();
        for _ in &handles {
            let answer = heard
                .recv_timeout(Duration::from_secs(10))
                .expect("the work ran");
            assert_eq!(answer, Some(42));
        }
    }
}
