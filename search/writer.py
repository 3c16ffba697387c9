"""whoosh's parallel writer (MpWriter), made to give up instead of waiting for ever.

MpWriter hands job files to its sub-processes through a bounded queue and, at
commit, joins them. If they die (killed, out of memory, a full disk under the
index), nothing consumes the queue and the parent blocks in `put` for ever; and a
sub-process killed while it waits for a job dies holding the queue's read lock,
so its living sibling can never take another job either. Here every wait is short
and checks the sub-processes between tries: once any of them has ended before its
work was done, the writer raises WriterProcessDied and the caller cancels it
(search.queue), leaving the queue rows for the next drain.
"""
import os
import queue
import signal
import sys

from whoosh.compat import pickle
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

POLL = 0.5  # seconds between checks on the sub-processes while waiting on them
FAILED = "failed"  # first item of what a failing sub-process puts on the result queue


class WriterProcessDied(RuntimeError):
    """A sub-process of a parallel index writer ended before its work was done."""


def _ending(exitcode):
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


def _failed(pid, reason):
    return WriterProcessDied(f"an index writer process (pid {pid}) failed: {reason}")


class ReportingSubWriterTask(SubWriterTask):
    """A sub-process that, when it fails (a full disk, say), tells the parent why
    instead of only printing a traceback nobody connects with the failed commit."""

    def run(self):
        try:
            super().run()
        except BaseException as exc:
            self.resultqueue.put((FAILED, f"{type(exc).__name__}: {exc}", os.getpid()), timeout=5)
            sys.exit(1)


class GuardedMpWriter(MpWriter):
    _finishing = False  # set once the sub-processes are told to finish

    def _new_task(self):
        task = ReportingSubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                                      self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def _died(self, task):
        """The error for a sub-process that ended early, with what it said, if it could say anything."""
        try:
            while True:
                item = self.resultqueue.get(timeout=1)
                if item[0] == FAILED:
                    return _failed(item[2], item[1])
        except queue.Empty:
            return _failed(task.pid, _ending(task.exitcode))

    def _check_tasks(self):
        # A sub-process ends on its own only after the parent's None: before that any
        # exit, even status 0, means documents handed to it are lost.
        for task in self.tasks:
            code = task.exitcode
            if code is not None and (code != 0 or not self._finishing):
                self._death = getattr(self, "_death", None) or self._died(task)
                raise self._death

    def _put(self, item):
        while True:
            self._check_tasks()
            try:
                self.jobqueue.put(item, timeout=POLL)
                return
            except queue.Full:
                continue

    def _enqueue(self):
        # MpWriter._enqueue, with a put that notices dead sub-processes.
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _results(self):
        """Each sub-process's (run, field names, segment), read while they finish.

        Read before joining them: a process that has put on a queue exits only once
        its data is in the pipe.
        """
        results = []
        while len(results) < len(self.tasks):
            try:
                item = self.resultqueue.get(timeout=POLL)
                if item[0] == FAILED:
                    raise _failed(item[2], item[1])
                results.append(item)
            except queue.Empty:
                self._check_tasks()
                if all(task.exitcode == 0 for task in self.tasks):
                    try:  # everything a finished process put is in the pipe by now
                        results.append(self.resultqueue.get(timeout=POLL))
                    except queue.Empty:
                        raise WriterProcessDied(
                            "an index writer process ended without handing back its segment") from None
        for task in self.tasks:
            task.join()
        return results

    def _commit(self, mergetype, optimize, merge):
        # MpWriter._commit, with puts and waits that notice dead sub-processes, and a
        # missing result treated as a death (MpWriter commits without that segment).
        if self.docbuffer:
            self._enqueue()
        self._finishing = True
        for _ in self.tasks:
            self._put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        results = self._results()
        if self.multisegment:
            finalsegments += [segment for _, _, segment in results]
            if self._added:
                finalsegments.append(self._finalize_segment())
            else:
                self._close_segment()
        else:
            self._merge_subsegments(results, mergetype)
            self._close_segment()
            self._assemble_segment()
            finalsegments.append(self.get_segment())
        self._commit_toc(finalsegments)
        self._finish()
