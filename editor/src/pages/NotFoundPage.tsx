import { Link } from '../app/router.tsx';

export function NotFoundPage() {
  return (
    <div>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to your workflows</Link>.
      </p>
    </div>
  );
}
