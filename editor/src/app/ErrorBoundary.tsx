// One per panel: a crash in one part of the screen shows a message there (with a way to retry)
// instead of blanking the whole app. Messages are rendered as text.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

interface Props {
  /** What this boundary guards, for the message ("the workflow list"). */
  area: string;
  children: ReactNode;
}
interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept for whoever opens the console; the screen shows a plain message.
    if (!(error instanceof ApiError)) console.info(`[keyflow] ${this.props.area} failed`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="kf-alert" style={{ margin: 16 }}>
        <strong>Something went wrong in {this.props.area}.</strong>
        <div>{error instanceof ApiError ? error.message : 'An unexpected error occurred. Your saved work is safe.'}</div>
        <button type="button" className="kf-button kf-button--small" style={{ marginTop: 8 }} onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
